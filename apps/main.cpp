// alprsim: the command-line front end (apps/command_line.cpp; one cmd_*.cpp per subcommand).
#include "apps/commands.h"

int main(int argc, char** argv) { return alprsim::cli::runCommandLine(argc, argv); }
