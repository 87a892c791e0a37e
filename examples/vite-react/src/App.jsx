import { useState } from "react";
import { checkout } from "./checkout.js";

// A tiny shop page. The button's click handler calls checkout(), which throws
// from a fixed place in src/checkout.js, so a stack trace resolved through
// the uploaded source map can be checked against a known file and line.
export default function App() {
  const [items, setItems] = useState(1);
  return (
    <main>
      <h1>SentrySourceMaps example</h1>
      <p>
        Items in cart: <output id="items">{items}</output>
      </p>
      <button id="add" onClick={() => setItems(items + 1)}>
        Add an item
      </button>
      <button id="checkout" onClick={() => checkout(items)}>
        Check out (throws)
      </button>
    </main>
  );
}
