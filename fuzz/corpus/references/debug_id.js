!function(){try{var e="undefined"!=typeof window?window:{};e._sentryDebugIds=e._sentryDebugIds||{}}catch(e){}}();
console.log(1);
//# debugId=c9a4f3f2-1b2c-4d5e-8f90-123456789abc
//# sourceMappingURL=../maps/app.js.map?v=1#x
