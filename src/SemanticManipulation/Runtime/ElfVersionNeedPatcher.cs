using System.Buffers.Binary;
using System.Text;

namespace SemanticManipulation.Runtime;

/// <summary>
/// Marks a version requirement of an ELF64 shared object as weak (<c>VER_FLG_WEAK</c>) in its
/// <c>.gnu.version_r</c> section, so that the dynamic loader accepts a host whose library lacks that version.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's <c>libLibTorchSharp.so</c> asks for <c>GLIBCXX_3.4.32</c> (GCC 13) for one symbol,
/// <c>std::ios_base_library_init()</c>, that no relocation uses. Debian 12 and Ubuntu 22.04 stop at 3.4.30, so the
/// library refuses to load although nothing it calls is missing. The patch is only applied when every dynamic symbol
/// bound to the weakened version is on an allow-list of symbols known to be unreferenced.
/// </remarks>
internal static class ElfVersionNeedPatcher
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtGnuVersym = 0x6fffffff;
    private const uint ShtDynsym = 11;
    private const ushort VerFlagWeak = 0x2;

    /// <summary>Version requirements that are safe to weaken, with the only symbols allowed to be bound to them.</summary>
    internal static readonly IReadOnlyDictionary<string, string[]> SafeToWeaken = new Dictionary<string, string[]>
    {
        ["GLIBCXX_3.4.32"] = ["_ZSt21ios_base_library_initv"],
    };

    /// <summary>Lists the version requirements (library, version name, flags) of an ELF64 little-endian image.</summary>
    public static IReadOnlyList<(string Library, string Version, ushort Flags)> ListVersionNeeds(byte[] image)
    {
        var result = new List<(string, string, ushort)>();
        foreach (var need in EnumerateNeeds(image))
        {
            result.Add((need.Library, need.Version, need.Flags));
        }

        return result;
    }

    /// <summary>
    /// Flags the requirement on <paramref name="version"/> as weak, in place. Returns false when the image does not
    /// require that version at all.
    /// </summary>
    /// <exception cref="InvalidDataException">The image is not an ELF64 little-endian shared object, or a symbol
    /// other than the allow-listed ones is bound to the version (weakening it would hide a real missing symbol).</exception>
    public static bool WeakenVersionNeed(byte[] image, string version)
    {
        if (!SafeToWeaken.TryGetValue(version, out var allowedSymbols))
        {
            throw new ArgumentException($"Version '{version}' is not known to be safe to weaken.", nameof(version));
        }

        var found = false;
        foreach (var need in EnumerateNeeds(image))
        {
            if (need.Version != version)
            {
                continue;
            }

            var bound = SymbolsBoundToVersion(image, need.VersionIndex);
            var unexpected = bound.Where(s => !allowedSymbols.Contains(s, StringComparer.Ordinal)).ToList();
            if (unexpected.Count > 0)
            {
                throw new InvalidDataException(
                    $"Refusing to weaken {version}: symbols {string.Join(", ", unexpected)} are bound to it.");
            }

            var flags = (ushort)(need.Flags | VerFlagWeak);
            BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(need.FlagsOffset, 2), flags);
            found = true;
        }

        return found;
    }

    private readonly record struct VersionNeed(string Library, string Version, ushort Flags, int FlagsOffset, ushort VersionIndex);

    private readonly record struct Section(uint Type, long Offset, long Size, uint Link, long EntrySize);

    private static List<Section> ReadSections(byte[] image)
    {
        if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
        {
            throw new InvalidDataException("Not an ELF file.");
        }

        if (image[4] != 2 || image[5] != 1)
        {
            throw new InvalidDataException("Only 64-bit little-endian ELF images are supported.");
        }

        var span = image.AsSpan();
        var sectionHeaderOffset = checked((long)BinaryPrimitives.ReadUInt64LittleEndian(span[0x28..]));
        int entrySize = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3A..]);
        int count = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3C..]);
        if (entrySize < 64 || sectionHeaderOffset + ((long)entrySize * count) > image.Length)
        {
            throw new InvalidDataException("ELF section header table is out of bounds.");
        }

        var sections = new List<Section>(count);
        for (var i = 0; i < count; i++)
        {
            var header = span.Slice((int)(sectionHeaderOffset + ((long)i * entrySize)), entrySize);
            sections.Add(new Section(
                BinaryPrimitives.ReadUInt32LittleEndian(header[4..]),
                checked((long)BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..])),
                checked((long)BinaryPrimitives.ReadUInt64LittleEndian(header[0x20..])),
                BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]),
                checked((long)BinaryPrimitives.ReadUInt64LittleEndian(header[0x38..]))));
        }

        return sections;
    }

    private static string ReadString(byte[] image, long tableOffset, uint index)
    {
        var start = checked((int)(tableOffset + index));
        var end = Array.IndexOf(image, (byte)0, start);
        if (end < 0)
        {
            throw new InvalidDataException("Unterminated ELF string.");
        }

        return Encoding.ASCII.GetString(image, start, end - start);
    }

    private static List<VersionNeed> EnumerateNeeds(byte[] image)
    {
        var needs = new List<VersionNeed>();
        var sections = ReadSections(image);
        foreach (var section in sections.Where(s => s.Type == ShtGnuVerneed))
        {
            var strings = sections[(int)section.Link].Offset;
            var entry = section.Offset;
            while (true)
            {
                var span = image.AsSpan();
                int auxCount = BinaryPrimitives.ReadUInt16LittleEndian(span[(int)(entry + 2)..]);
                var library = ReadString(image, strings, BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(entry + 4)..]));
                var auxOffset = BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(entry + 8)..]);
                var next = BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(entry + 12)..]);
                var aux = entry + auxOffset;
                for (var k = 0; k < auxCount; k++)
                {
                    var flags = BinaryPrimitives.ReadUInt16LittleEndian(span[(int)(aux + 4)..]);
                    var other = BinaryPrimitives.ReadUInt16LittleEndian(span[(int)(aux + 6)..]);
                    var name = ReadString(image, strings, BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(aux + 8)..]));
                    needs.Add(new VersionNeed(library, name, flags, (int)(aux + 4), other));
                    var auxNext = BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(aux + 12)..]);
                    if (auxNext == 0)
                    {
                        break;
                    }

                    aux += auxNext;
                }

                if (next == 0)
                {
                    break;
                }

                entry += next;
            }
        }

        return needs;
    }

    private static List<string> SymbolsBoundToVersion(byte[] image, ushort versionIndex)
    {
        var sections = ReadSections(image);
        var dynsym = sections.FirstOrDefault(s => s.Type == ShtDynsym);
        var versym = sections.FirstOrDefault(s => s.Type == ShtGnuVersym);
        var result = new List<string>();
        if (dynsym.Type == 0 || versym.Type == 0)
        {
            return result;
        }

        var strings = sections[(int)dynsym.Link].Offset;
        var count = dynsym.Size / 24;
        var span = image.AsSpan();
        for (var i = 0; i < count; i++)
        {
            var index = BinaryPrimitives.ReadUInt16LittleEndian(span[(int)(versym.Offset + (2 * i))..]) & 0x7fff;
            if (index == versionIndex)
            {
                var nameIndex = BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(dynsym.Offset + (24 * i))..]);
                result.Add(ReadString(image, strings, nameIndex));
            }
        }

        return result;
    }
}
