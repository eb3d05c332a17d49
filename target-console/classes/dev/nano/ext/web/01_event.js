// TODO: 01_event
