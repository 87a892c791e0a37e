// A module for the WebAssembly tests: divide() traps in C++ code when b is 0.
#include <cstdio>
#include <emscripten.h>

extern "C" EMSCRIPTEN_KEEPALIVE int divide(int a, int b) {
  if (b == 0) {
    __builtin_trap();
  }
  return a / b;
}

int main() { std::printf("ready\n"); }
