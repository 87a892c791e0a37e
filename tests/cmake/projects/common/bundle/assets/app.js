function greet(name) {
  return "hello " + name;
}
console.log(greet("sentry"));
//# sourceMappingURL=app.js.map
