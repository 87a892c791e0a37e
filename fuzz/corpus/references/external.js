function pay(a){return a}
//# sourceMappingURL=app.js.map
