"""Law library models (法律库): laws, structure, articles. Filled in by the law-library issue."""
