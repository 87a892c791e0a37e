// A module for the WebAssembly resolve tests: at -O2, checked_ratio() is
// inlined into price_per_item(), so DWARF names it as an inlined call.
#include <emscripten.h>

static inline int checked_ratio(int total, int count) {
  if (count == 0) {
    __builtin_trap();
  }
  return total / count;
}

extern "C" EMSCRIPTEN_KEEPALIVE int price_per_item(int total, int count) {
  int ratio = checked_ratio(total, count);
  return ratio + (total % 7 == 0 ? 1 : 0);
}

int main() { return price_per_item(14, 2) == 8 ? 0 : 1; }
