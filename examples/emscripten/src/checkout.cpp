// The shop's checkout logic, compiled to WebAssembly by Emscripten. The
// page's "Check out (traps)" button calls price_per_item() with an empty
// cart, so checked_share() executes the trap below: a RuntimeError whose
// top frame is in this file. Keep the __builtin_trap() on its own line:
// tests/browser/test_emscripten_browser.py and demo.py look for it.
#include <emscripten.h>

namespace {

int checked_share(int total_cents, int items) {
  if (items <= 0) {
    __builtin_trap();
  }
  return total_cents / items;
}

} // namespace

extern "C" EMSCRIPTEN_KEEPALIVE int price_per_item(int total_cents, int items) {
  return checked_share(total_cents, items);
}

int main() { return 0; }
