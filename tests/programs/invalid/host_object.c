// Compiled for the host, not for BPF: the runner must reject the object.
int host_function(int x)
{
    return x + 1;
}
