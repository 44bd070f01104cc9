using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ArcBridgeDashboard.Agent;

/// <summary>
/// Resident pages of the loaded images (the NativeAOT executable, libc, OpenSSL): most serve start-up once, yet they
/// stay resident because the kernel maps up to 64 KiB around every page fault from whatever of the file is cached.
/// A process that runs a few functions scattered over a 15 MiB executable keeps nearly all of it resident
/// (bench/agents/README.md). Dropping the resident pages of the images' read-only segments loses nothing, the files
/// hold the same bytes, and the next sweep faults back only what it runs. Before the first sweep the executable's
/// pages that nobody has mapped any more also leave the page cache, so that start-up-only code does not come back with
/// its neighbours.
/// </summary>
internal static unsafe class ImagePages
{
    private const int MADV_DONTNEED = 4;
    private const int POSIX_FADV_DONTNEED = 4;
    private const uint PT_LOAD = 1;
    private const uint PF_W = 2;
    private const ulong PageSize = 4096;

    /// <summary>Drops the resident pages of every loaded image's read-only segments; optionally evicts the executable's unused cached pages.</summary>
    public static void Release(bool evictExecutable)
    {
        // Under the JIT the code lives in anonymous memory; only a NativeAOT agent runs from its image.
        if (!OperatingSystem.IsLinux() || RuntimeFeature.IsDynamicCodeSupported)
            return;
        try
        {
            var privatePages = PrivateRanges(File.ReadLines("/proc/self/smaps"));
            // Bind madvise now: no symbol lookup may happen inside the callback, which runs under the loader's lock.
            _ = Advise(0, 0, MADV_DONTNEED);
            var state = GCHandle.Alloc(privatePages);
            try
            {
                _ = IteratePhdr(&Visit, GCHandle.ToIntPtr(state));
            }
            finally
            {
                state.Free();
            }
            if (evictExecutable && Environment.ProcessPath is { } executable)
            {
                using var file = File.OpenHandle(executable);
                _ = FileAdvise(file, 0, 0, POSIX_FADV_DONTNEED);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Best effort: no /proc, no glibc, an unreadable executable. The pages simply stay resident.
        }
    }

    /// <summary>
    /// The page-aligned ranges of an image's segments that are never written: loadable and without write permission
    /// (relocated data, RELRO included, sits in the writable segment). Rounded inwards, so a page shared with a
    /// neighbouring writable segment is never included.
    /// </summary>
    public static List<(ulong Start, ulong End)> ReadOnlySegments(ulong loadBias, ReadOnlySpan<ProgramHeader> headers)
    {
        var ranges = new List<(ulong, ulong)>();
        foreach (var h in headers)
        {
            if (h.Type != PT_LOAD || (h.Flags & PF_W) != 0)
                continue;
            var start = (loadBias + h.VirtualAddress + PageSize - 1) & ~(PageSize - 1);
            var end = (loadBias + h.VirtualAddress + h.MemorySize) & ~(PageSize - 1);
            if (end > start)
                ranges.Add((start, end));
        }
        return ranges;
    }

    /// <summary>
    /// Mappings holding private pages (smaps <c>Anonymous</c> or <c>Swap</c> above zero): a debugger's breakpoint or a
    /// uprobe copies the page it patches, and dropping that copy would silently remove it. Those pages are left alone.
    /// </summary>
    public static List<(ulong Start, ulong End)> PrivateRanges(IEnumerable<string> smaps)
    {
        var ranges = new List<(ulong, ulong)>();
        (ulong Start, ulong End)? current = null;
        foreach (var line in smaps)
        {
            if (MappingRange(line) is { } range)
                current = range;
            else if (current is { } c && (line.StartsWith("Anonymous:", StringComparison.Ordinal) || line.StartsWith("Swap:", StringComparison.Ordinal))
                     && !line.AsSpan(line.IndexOf(':') + 1).Trim().SequenceEqual("0 kB")
                     && (ranges.Count == 0 || ranges[^1] != c))
                ranges.Add(c);
        }
        return ranges;
    }

    /// <summary>What of <paramref name="range"/> lies outside every one of <paramref name="holes"/> (sorted, as smaps lists them).</summary>
    public static List<(ulong Start, ulong End)> Without((ulong Start, ulong End) range, List<(ulong Start, ulong End)> holes)
    {
        var pieces = new List<(ulong, ulong)>();
        var from = range.Start;
        foreach (var hole in holes)
        {
            if (hole.End <= from || hole.Start >= range.End)
                continue;
            if (hole.Start > from)
                pieces.Add((from, hole.Start));
            from = Math.Max(from, hole.End);
        }
        if (from < range.End)
            pieces.Add((from, range.End));
        return pieces;
    }

    /// <summary>The <c>start-end</c> of an smaps mapping line; null for field lines such as <c>Rss:   12 kB</c>.</summary>
    private static (ulong, ulong)? MappingRange(string line)
    {
        var space = line.IndexOf(' ');
        var dash = space > 0 ? line.IndexOf('-', 0, space) : -1;
        if (dash < 1
            || !ulong.TryParse(line.AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var start)
            || !ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var end))
            return null;
        return (start, end);
    }

    /// <summary>
    /// Called once per loaded image under the loader's lock: an image listed here is fully mapped and cannot be unloaded
    /// while its pages are dropped. The vDSO is the kernel's, not a file.
    /// </summary>
    [UnmanagedCallersOnly]
    private static int Visit(ImageInfo* info, nuint size, nint state)
    {
        var name = Marshal.PtrToStringUTF8(info->Name) ?? "";
        if (name.StartsWith("linux-vdso", StringComparison.Ordinal) || name.StartsWith("linux-gate", StringComparison.Ordinal))
            return 0;
        var privatePages = (List<(ulong Start, ulong End)>)GCHandle.FromIntPtr(state).Target!;
        foreach (var segment in ReadOnlySegments(info->LoadBias, new ReadOnlySpan<ProgramHeader>(info->Headers, info->HeaderCount)))
        {
            foreach (var piece in Without(segment, privatePages))
                _ = Advise((nint)piece.Start, (nuint)(piece.End - piece.Start), MADV_DONTNEED);
        }
        return 0;
    }

    /// <summary>Elf64_Phdr.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ProgramHeader
    {
        public uint Type;
        public uint Flags;
        public ulong Offset;
        public ulong VirtualAddress;
        public ulong PhysicalAddress;
        public ulong FileSize;
        public ulong MemorySize;
        public ulong Alignment;
    }

    /// <summary>The leading fields of glibc's struct dl_phdr_info.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct ImageInfo
    {
        public ulong LoadBias;
        public nint Name;
        public ProgramHeader* Headers;
        public ushort HeaderCount;
    }

    [DllImport("libc.so.6", EntryPoint = "madvise")]
    private static extern int Advise(nint address, nuint length, int advice);

    [DllImport("libc.so.6", EntryPoint = "posix_fadvise")]
    private static extern int FileAdvise(Microsoft.Win32.SafeHandles.SafeFileHandle file, long offset, long length, int advice);

    [DllImport("libc.so.6", EntryPoint = "dl_iterate_phdr")]
    private static extern int IteratePhdr(delegate* unmanaged<ImageInfo*, nuint, nint, int> callback, nint state);
}
