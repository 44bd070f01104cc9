using System.Runtime.InteropServices;

namespace ArcBridgeDashboard.Agent;

internal static class NativeHeap
{
    /// <summary>Returns freed pages of every arena to the system; glibc otherwise keeps what is not at a heap's top.</summary>
    public static void Trim()
    {
        if (!OperatingSystem.IsLinux())
            return;
        try
        {
            _ = TrimMalloc(0);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // not glibc
        }
    }

    [DllImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static extern int TrimMalloc(nuint pad);
}
