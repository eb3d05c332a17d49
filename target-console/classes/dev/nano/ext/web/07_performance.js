// TODO: 07_performance
