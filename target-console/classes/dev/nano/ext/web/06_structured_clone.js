// TODO: 06_structured_clone
