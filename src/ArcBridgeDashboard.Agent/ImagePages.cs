using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ArcBridgeDashboard.Agent;

/// <summary>
/// Resident pages of the loaded images (the NativeAOT executable, libc, OpenSSL): most serve start-up once, yet they
/// stay resident because the kernel maps up to 64 KiB around every page fault from whatever of the file is cached.
/// A process that runs a few functions scattered over a 15 MiB executable keeps nearly all of it resident
/// (bench/agents/README.md). Dropping the resident pages of the images' read-only segments loses nothing, the files
/// hold the same bytes, and the next sweep faults back only what it runs, from the page cache. (Also evicting the
/// executable's start-up-only pages from the page cache saved about 1 MiB more, but put ~200 disk reads into the first
/// sweep's probe timings.)
/// </summary>
internal static unsafe class ImagePages
{
    private const int MADV_DONTNEED = 4;
    private const uint PT_LOAD = 1;
    private const uint PF_W = 2;
    private const ulong PageSize = 4096;

    /// <summary>Drops the resident pages of every loaded image's read-only segments.</summary>
    public static void Release()
    {
        // Under the JIT the code lives in anonymous memory; only a NativeAOT agent runs from its image.
        if (!OperatingSystem.IsLinux() || RuntimeFeature.IsDynamicCodeSupported)
            return;
        try
        {
            var clean = CleanRanges(File.ReadLines("/proc/self/smaps"));
            // Bind madvise now: no symbol lookup may happen inside the callback, which runs under the loader's lock.
            _ = Advise(0, 0, MADV_DONTNEED);
            var state = GCHandle.Alloc(clean);
            try
            {
                _ = IteratePhdr(&Visit, GCHandle.ToIntPtr(state));
            }
            finally
            {
                state.Free();
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Best effort: no /proc or no glibc. The pages simply stay resident.
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
    /// The mappings whose pages may be dropped, as smaps lists them: private, not writable, backed by a file, and
    /// holding no private page (<c>Anonymous</c> and <c>Swap</c> zero). A debugger's breakpoint or a uprobe copies the
    /// page it patches, and relocated data is written before it is write-protected: dropping those would silently
    /// undo them. An image mapped after this list was read is not on it and is left alone.
    /// </summary>
    public static List<(ulong Start, ulong End)> CleanRanges(IEnumerable<string> smaps)
    {
        var ranges = new List<(ulong, ulong)>();
        (ulong Start, ulong End)? current = null;
        var clean = false;
        foreach (var line in smaps)
        {
            if (Mapping(line) is { } mapping)
            {
                if (current is { } c && clean)
                    ranges.Add(c);
                current = (mapping.Start, mapping.End);
                clean = mapping.Permissions.Length == 4 && mapping.Permissions[0] == 'r' && mapping.Permissions[1] == '-'
                    && mapping.Permissions[3] == 'p' && mapping.Path.StartsWith('/');
            }
            else if (line.StartsWith("Anonymous:", StringComparison.Ordinal) || line.StartsWith("Swap:", StringComparison.Ordinal))
            {
                clean &= line.AsSpan(line.IndexOf(':') + 1).Trim().SequenceEqual("0 kB");
            }
        }
        if (current is { } last && clean)
            ranges.Add(last);
        ranges.Sort();
        return ranges;
    }

    /// <summary>What of <paramref name="range"/> lies inside <paramref name="allowed"/> (sorted, not overlapping).</summary>
    public static List<(ulong Start, ulong End)> Within((ulong Start, ulong End) range, List<(ulong Start, ulong End)> allowed)
    {
        var pieces = new List<(ulong, ulong)>();
        foreach (var a in allowed)
        {
            var start = Math.Max(a.Start, range.Start);
            var end = Math.Min(a.End, range.End);
            if (start < end)
                pieces.Add((start, end));
        }
        return pieces;
    }

    /// <summary><c>start-end perms offset dev inode [path]</c> of an smaps mapping line; null for field lines such as <c>Rss:   12 kB</c>.</summary>
    private static (ulong Start, ulong End, string Permissions, string Path)? Mapping(string line)
    {
        var space = line.IndexOf(' ');
        var dash = space > 0 ? line.IndexOf('-', 0, space) : -1;
        if (dash < 1
            || !ulong.TryParse(line.AsSpan(0, dash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var start)
            || !ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var end))
            return null;
        var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        return (start, end, fields.Length > 1 ? fields[1] : "", fields.Length > 5 ? fields[5].Trim() : "");
    }

    /// <summary>
    /// Called once per loaded image under the loader's lock, so no image is unloaded while its pages are dropped; only
    /// pages of mappings that were clean when smaps was read are (never the vDSO, which is the kernel's, not a file).
    /// </summary>
    [UnmanagedCallersOnly]
    private static int Visit(ImageInfo* info, nuint size, nint state)
    {
        // An exception must not cross back into the loader: it would end the process.
        try
        {
            var clean = (List<(ulong Start, ulong End)>)GCHandle.FromIntPtr(state).Target!;
            foreach (var segment in ReadOnlySegments(info->LoadBias, new ReadOnlySpan<ProgramHeader>(info->Headers, info->HeaderCount)))
            {
                foreach (var piece in Within(segment, clean))
                    _ = Advise((nint)piece.Start, (nuint)(piece.End - piece.Start), MADV_DONTNEED);
            }
            return 0;
        }
        catch (Exception)
        {
            return 1; // stop iterating; the pages stay resident
        }
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
        public nint Name; // unused: which pages go is decided by the address ranges
        public ProgramHeader* Headers;
        public ushort HeaderCount;
    }

    [DllImport("libc.so.6", EntryPoint = "madvise")]
    private static extern int Advise(nint address, nuint length, int advice);

    [DllImport("libc.so.6", EntryPoint = "dl_iterate_phdr")]
    private static extern int IteratePhdr(delegate* unmanaged<ImageInfo*, nuint, nint, int> callback, nint state);
}
