// TODO: 02_abort
