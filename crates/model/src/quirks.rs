//! Server quirks met while turning information_schema rows into the Model.
//! One rule = one function + one test + a comment naming the server and
//! version. Grep a version number and you find the rule.
