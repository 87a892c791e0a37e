// Only its target matters: the test reads the command that would run it.
int main() { return 0; }
