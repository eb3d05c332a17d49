// TODO: 08_navigator
