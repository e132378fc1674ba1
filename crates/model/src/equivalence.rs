//! Questions the diff cannot answer alone: "did the server create this
//! object on its own?". Each answer names the server behaviour behind it.
