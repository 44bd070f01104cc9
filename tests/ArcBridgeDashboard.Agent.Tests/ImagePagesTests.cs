using static ArcBridgeDashboard.Agent.ImagePages;

namespace ArcBridgeDashboard.Agent.Tests;

/// <summary>
/// What the idle agent may drop from memory. Dropping a page that holds the process's own data (relocated pointers,
/// written statics, a debugger's breakpoint) would silently replace it with the file's bytes and break the agent later,
/// so the choice is checked on the NativeAOT agent's real layout (readelf -l) and on smaps text shaped like the kernel's.
/// </summary>
public sealed class ImagePagesTests
{
    private const ulong Bias = 0x5564649fe000;

    // The published agent's program headers: headers, code, read-only data, then relocated data (RW, RELRO inside).
    private static readonly ProgramHeader[] Agent =
    [
        Header(type: 6, flags: 4, vaddr: 0x40, size: 0x310),            // PT_PHDR
        Header(type: 1, flags: 4, vaddr: 0x0, size: 0x22138),           // R
        Header(type: 1, flags: 5, vaddr: 0x23000, size: 0x8ba009),      // R E
        Header(type: 1, flags: 4, vaddr: 0x8de000, size: 0x74c858),     // R
        Header(type: 1, flags: 6, vaddr: 0x102b008, size: 0x4090d8),    // RW
        Header(type: 0x6474e552, flags: 4, vaddr: 0x102b008, size: 0x3ff8), // PT_GNU_RELRO
    ];

    [Fact]
    public void ReadOnlySegments_AreTheLoadableOnesWithoutWrite_RoundedInwardsToPages()
    {
        var segments = ReadOnlySegments(Bias, Agent);

        Assert.Equal(
            [(Bias, Bias + 0x22000), (Bias + 0x23000, Bias + 0x8dd000), (Bias + 0x8de000, Bias + 0x102a000)],
            segments);
    }

    [Fact]
    public void ReadOnlySegments_PageSharedWithWritableData_IsLeftOut()
    {
        // Without padding between them, the last read-only page is also the first page of the writable segment.
        ProgramHeader[] packed = [Header(type: 1, flags: 4, vaddr: 0x0, size: 0x1800), Header(type: 1, flags: 6, vaddr: 0x1800, size: 0x800)];

        Assert.Equal([(Bias, Bias + 0x1000)], ReadOnlySegments(Bias, packed));
    }

    [Fact]
    public void CleanRanges_AreReadOnlyPrivateFileMappingsWithoutPrivatePages()
    {
        string[] smaps =
        [
            .. Mapping("5564649fe000-556464a21000", "r--p /opt/arcbridge-agent/arcbridge-agent", anonymous: 0),
            .. Mapping("556464a21000-5564652dd000", "r-xp /opt/arcbridge-agent/arcbridge-agent", anonymous: 0),
            .. Mapping("5564656d0000-5564656d1000", "r--p /opt/arcbridge-agent/arcbridge-agent", anonymous: 4),  // one patched page
            .. Mapping("556465a2c000-556465a30000", "r--p /opt/arcbridge-agent/arcbridge-agent", anonymous: 16), // RELRO
            .. Mapping("556465a30000-556465a69000", "rw-p /opt/arcbridge-agent/arcbridge-agent", anonymous: 0),  // .data, not yet written
            .. Mapping("556465a69000-556465e36000", "rw-p", anonymous: 3828),                                     // .bss, type data
            .. Mapping("7f09a4000000-7f09a4270000", "r-xp /usr/lib/x86_64-linux-gnu/lib crypto.so.3", anonymous: 0), // a space in the path
            .. Mapping("7f09a4270000-7f09a42d6000", "r--p /usr/lib/x86_64-linux-gnu/libcrypto.so.3", anonymous: 0, swap: 8),
            .. Mapping("7f09a48f7000-7f09a48ff000", "r--s /var/lib/arcbridge-agent/shared.bin", anonymous: 0),
            .. Mapping("7f09a4900000-7f09a4901000", "---p /usr/lib/x86_64-linux-gnu/libssl.so.3", anonymous: 0),
            .. Mapping("7ffd5a1f2000-7ffd5a1f6000", "r--p [vvar]", anonymous: 0),
        ];

        Assert.Equal(
            [(0x5564649fe000UL, 0x556464a21000UL), (0x556464a21000UL, 0x5564652dd000UL), (0x7f09a4000000UL, 0x7f09a4270000UL)],
            CleanRanges(smaps));
    }

    [Fact]
    public void Within_DropsOnlyWhatWasCleanWhenSmapsWasRead()
    {
        // The read-only data segment with one patched page in the middle (not on the clean list): everything but that
        // page is dropped. A segment of an image mapped after smaps was read is on no list and is left alone.
        var segment = (Bias + 0x8de000, Bias + 0x102a000);
        List<(ulong, ulong)> clean = [(Bias + 0x8de000, Bias + 0xcd2000), (Bias + 0xcd3000, Bias + 0x102e000)];

        Assert.Equal([(Bias + 0x8de000, Bias + 0xcd2000), (Bias + 0xcd3000, Bias + 0x102a000)], Within(segment, clean));
        Assert.Empty(Within((Bias + 0x2000000, Bias + 0x2100000), clean));
        Assert.Empty(Within(segment, []));
    }

    private static ProgramHeader Header(uint type, uint flags, ulong vaddr, ulong size) =>
        new() { Type = type, Flags = flags, VirtualAddress = vaddr, MemorySize = size, FileSize = size, Alignment = 0x1000 };

    private static string[] Mapping(string range, string rest, int anonymous, int swap = 0) =>
    [
        $"{range} {rest[..4]} 00000000 fe:00 5317231                    {(rest.Length > 5 ? rest[5..] : "")}".TrimEnd(),
        "Size:                140 kB",
        "Rss:                 136 kB",
        $"Anonymous:           {anonymous} kB",
        "KSM:                   0 kB",
        $"Swap:                {swap} kB",
        "SwapPss:               0 kB",
        "VmFlags: rd mr mw me",
    ];
}
