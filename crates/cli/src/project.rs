//! Where things are: driftwatch.toml, drizzle.config, `.env`, the schema
//! files and the database URL, resolved in the documented order.

use std::path::{Path, PathBuf};

use driftwatch_drizzle::{DbCredentials, DrizzleConfig, EnvVars};
use driftwatch_mysql::DatabaseUrl;

use crate::args::{ConnectionArgs, GlobalArgs, SchemaArgs};
use crate::error::CliError;
use crate::settings::{Environment, Settings, expand_vars};

pub struct Project {
    /// The folder schema globs and `.env` are relative to.
    pub root: PathBuf,
    pub settings: Option<(PathBuf, Settings)>,
    pub drizzle: Option<DrizzleConfig>,
    pub env: EnvVars,
}

impl Project {
    pub fn load(global: &GlobalArgs) -> Result<Project, CliError> {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let settings_path = match &global.config {
            Some(path) => Some(path.clone()),
            None => Some(cwd.join("driftwatch.toml")).filter(|p| p.is_file()),
        };
        let settings = match settings_path {
            Some(path) => {
                let settings = Settings::load(&path)?;
                Some((path, settings))
            }
            None => None,
        };
        let drizzle_path = match (&global.drizzle_config, &settings) {
            (Some(path), _) => Some(path.clone()),
            (None, Some((settings_path, s))) if s.drizzle_config.is_some() => {
                let base = settings_path.parent().unwrap_or(Path::new("."));
                s.drizzle_config.as_ref().map(|p| base.join(p))
            }
            _ => driftwatch_drizzle::find_config(&cwd),
        };
        if let Some(path) = &drizzle_path
            && !path.is_file()
        {
            return Err(CliError::DrizzleConfig(format!(
                "{}: drizzle config not found",
                path.display()
            )));
        }
        let root = drizzle_path
            .as_ref()
            .and_then(|p| p.parent())
            .map(|p| {
                if p.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    p
                }
            })
            .map(Path::to_path_buf)
            .unwrap_or_else(|| cwd.clone());
        let env = EnvVars::load(&root);
        let drizzle = match drizzle_path {
            Some(path) => Some(
                driftwatch_drizzle::load_config(&path, &env)
                    .map_err(|e| CliError::DrizzleConfig(e.to_string()))?,
            ),
            None => None,
        };
        Ok(Project {
            root,
            settings,
            drizzle,
            env,
        })
    }

    /// Schema files: `--schema` wins over drizzle.config `schema`.
    pub fn schema_files(&self, args: &SchemaArgs) -> Result<Vec<PathBuf>, CliError> {
        let (root, patterns) = if !args.schema.is_empty() {
            let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            (cwd, args.schema.clone())
        } else if let Some(config) = &self.drizzle {
            (self.root.clone(), config.schema.clone())
        } else {
            return Err(CliError::NoSchema);
        };
        if patterns.is_empty() {
            return Err(CliError::NoSchema);
        }
        driftwatch_drizzle::resolve_schema_files(&root, &patterns)
            .map_err(|e| CliError::Schema(e.to_string()))
    }

    fn environment(&self, name: &str) -> Result<(&Path, &Environment), CliError> {
        let Some((path, settings)) = &self.settings else {
            return Err(CliError::NoSettings(name.to_string()));
        };
        settings
            .environments
            .get(name)
            .map(|env| (path.as_path(), env))
            .ok_or_else(|| CliError::UnknownEnvironment {
                name: name.to_string(),
                path: path.clone(),
                defined: settings
                    .environments
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// Whether the selected environment is production (severity policy).
    pub fn is_production(&self, args: &ConnectionArgs) -> bool {
        args.environment
            .as_deref()
            .and_then(|name| self.environment(name).ok())
            .is_some_and(|(_, env)| env.production)
    }

    pub fn expected_database(&self, args: &ConnectionArgs) -> Option<(String, String)> {
        let name = args.environment.as_deref()?;
        let (_, env) = self.environment(name).ok()?;
        env.expect_database.clone().map(|db| (name.to_string(), db))
    }

    /// `--dev-url`, else `dev_url` of the `--env` environment (`${VAR}`
    /// expanded); `None`: static normalization.
    pub fn dev_url(
        &self,
        dev_url: Option<&str>,
        args: &ConnectionArgs,
    ) -> Result<Option<String>, CliError> {
        if let Some(url) = dev_url {
            return Ok(Some(url.to_string()));
        }
        let Some(name) = &args.environment else {
            return Ok(None);
        };
        let (path, env) = self.environment(name)?;
        env.dev_url
            .as_deref()
            .map(|raw| expand_vars(raw, |var| self.env.get(var).map(str::to_string), path))
            .transpose()
    }

    /// `--url`, else `--env NAME`, else `DATABASE_URL`, else drizzle.config
    /// `dbCredentials`.
    pub fn database_url(&self, args: &ConnectionArgs) -> Result<DatabaseUrl, CliError> {
        let parse = |text: &str, origin: &str| {
            DatabaseUrl::parse(text).map_err(|e| CliError::Database(format!("{origin}: {e}")))
        };
        if let Some(url) = &args.url {
            return parse(url, "--url");
        }
        if let Some(name) = &args.environment {
            let (path, env) = self.environment(name)?;
            let Some(raw) = &env.url else {
                return Err(CliError::Config {
                    path: path.to_path_buf(),
                    message: format!("[environments.{name}] has no `url`"),
                });
            };
            let url = expand_vars(raw, |var| self.env.get(var).map(str::to_string), path)?;
            return parse(&url, &format!("[environments.{name}] url"));
        }
        if let Some(url) = self.env.get("DATABASE_URL") {
            return parse(url, "DATABASE_URL");
        }
        match self
            .drizzle
            .as_ref()
            .and_then(|c| c.db_credentials.as_ref())
        {
            Some(Ok(DbCredentials::Url(url))) => parse(url, "drizzle.config dbCredentials.url"),
            Some(Ok(DbCredentials::Fields {
                host,
                port,
                user,
                password,
                database,
            })) => Ok(DatabaseUrl::from_parts(
                host,
                port.unwrap_or(3306),
                user.as_deref().unwrap_or("root"),
                password.as_deref(),
                Some(database.as_str()),
            )),
            Some(Err(missing)) => Err(CliError::DrizzleConfig(format!(
                "drizzle.config dbCredentials uses process.env.{missing}, which is not set (environment or .env in {})",
                self.root.display()
            ))),
            None => Err(CliError::NoDatabaseUrl),
        }
    }

    pub fn tables_filter(&self) -> Vec<String> {
        self.drizzle
            .as_ref()
            .map(|c| c.tables_filter.clone())
            .unwrap_or_default()
    }

    /// The migrations folder: drizzle.config `out` (default `./drizzle`),
    /// relative to the config's folder.
    pub fn migrations_dir(&self) -> PathBuf {
        let out = self
            .drizzle
            .as_ref()
            .map(|c| c.out.as_str())
            .unwrap_or("./drizzle");
        let out = out.strip_prefix("./").unwrap_or(out);
        self.root.join(out)
    }

    pub fn migrations_table(&self) -> String {
        self.drizzle
            .as_ref()
            .map(|c| c.migrations_table.clone())
            .unwrap_or_else(|| "__drizzle_migrations".to_string())
    }

    /// Shown paths are relative to the project root.
    pub fn display_path(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/")
    }
}
