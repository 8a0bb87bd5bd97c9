"""What the build and the run share, importing neither: errors, the job folder's format,
template syntax and defaults. Everything here is plain data and pure functions."""
