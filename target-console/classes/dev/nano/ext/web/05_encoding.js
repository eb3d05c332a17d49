// TODO: 05_encoding
