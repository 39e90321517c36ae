// Placeholder translation unit until the desktop lab lands.
