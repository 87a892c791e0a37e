x
//# sourceMappingURL=https://cdn.example.invalid/app.js.map
//# sourceMappingURL=/abs/app.js.map
