export const answer = () => 42;
//# sourceMappingURL=vendor.js.map
