// Placeholder: url/01_url_search_params (being written)
