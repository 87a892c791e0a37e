#include "uploader/cli/cli.hpp"

int main(int argc, char **argv) { return uploader::cli::run(argc, argv); }
