var s = "//# sourceMappingURL=fake.map";
//@ sourceMappingURL=data:application/json;base64,eyJ2ZXJzaW9uIjozfQ==
