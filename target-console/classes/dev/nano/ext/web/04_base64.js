// TODO: 04_base64
