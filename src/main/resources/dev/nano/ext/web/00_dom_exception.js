// TODO: 00_dom_exception
