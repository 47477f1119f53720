using System.Buffers.Binary;
using System.IO.Compression;

namespace SemanticManipulation.Tests.Checkpoints.Fuzzing;

/// <summary>Mutations of a zip checkpoint's structure: header fields that lie, and entries that are cut, grown,
/// missing, renamed or compressed.</summary>
internal static class ZipEdits
{
    // (signature, field offset, field size, field name) for the local header, central directory record and end record.
    private static readonly (uint Signature, int Offset, int Size, string Name)[] Fields =
    [
        (0x04034b50, 6, 2, "local flags"), (0x04034b50, 8, 2, "local method"), (0x04034b50, 14, 4, "local crc"),
        (0x04034b50, 18, 4, "local compressed size"), (0x04034b50, 22, 4, "local size"), (0x04034b50, 26, 2, "local name length"),
        (0x04034b50, 28, 2, "local extra length"),
        (0x02014b50, 8, 2, "central flags"), (0x02014b50, 10, 2, "central method"), (0x02014b50, 16, 4, "central crc"),
        (0x02014b50, 20, 4, "central compressed size"), (0x02014b50, 24, 4, "central size"),
        (0x02014b50, 28, 2, "central name length"), (0x02014b50, 30, 2, "central extra length"),
        (0x02014b50, 32, 2, "central comment length"), (0x02014b50, 34, 2, "central disk"), (0x02014b50, 42, 4, "local header offset"),
        (0x06054b50, 4, 2, "end disk"), (0x06054b50, 8, 2, "end entries on disk"), (0x06054b50, 10, 2, "end entries"),
        (0x06054b50, 12, 4, "end directory size"), (0x06054b50, 16, 4, "end directory offset"), (0x06054b50, 20, 2, "end comment length"),
    ];

    /// <summary>Sets one field of one zip record to a value that lies about sizes, offsets or methods.</summary>
    public static Mutation HeaderLie(byte[] file, Random rng)
    {
        var records = new List<(int Position, uint Signature)>();
        for (var i = 0; i + 4 <= file.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(i));
            if (signature is 0x04034b50 or 0x02014b50 or 0x06054b50)
            {
                records.Add((i, signature));
            }
        }

        var (position, kind) = records[rng.Next(records.Count)];
        var fields = Fields.Where(f => f.Signature == kind && position + f.Offset + f.Size <= file.Length).ToList();
        var field = fields[rng.Next(fields.Count)];
        var bytes = (byte[])file.Clone();
        var at = bytes.AsSpan(position + field.Offset, field.Size);
        var original = field.Size == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(at) : BinaryPrimitives.ReadUInt32LittleEndian(at);
        var value = field.Name.EndsWith("method", StringComparison.Ordinal) && rng.Next(2) == 0
            ? (ulong)new[] { 0, 1, 8, 9, 12, 14, 93, 99 }[rng.Next(8)]
            : Interesting.Unsigned(rng, original, field.Size, file.Length);
        if (field.Size == 2)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(at, (ushort)value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(at, (uint)value);
        }

        return new(bytes, $"{field.Name} of the record at {position}: {original} -> {value}");
    }

    /// <summary>Cuts, grows, drops, renames or duplicates one storage entry (<c>data/&lt;key&gt;</c>), or the byteorder entry.</summary>
    public static Mutation EntryEdit(byte[] file, Random rng)
    {
        var entries = Entries(file);
        var candidates = entries.Select((e, i) => (e, i)).Where(p => !p.e.Name.EndsWith("data.pkl", StringComparison.Ordinal)).ToList();
        var (entry, index) = candidates[rng.Next(candidates.Count)];
        string detail;
        switch (rng.Next(6))
        {
            case 0:
                var length = rng.Next(entry.Data.Length + 1);
                entries[index] = (entry.Name, entry.Data[..length]);
                detail = $"cut entry '{entry.Name}' to {length} of {entry.Data.Length} bytes";
                break;
            case 1:
                var extra = new byte[rng.Next(1, 64)];
                rng.NextBytes(extra);
                entries[index] = (entry.Name, [.. entry.Data, .. extra]);
                detail = $"grew entry '{entry.Name}' by {extra.Length} bytes";
                break;
            case 2:
                entries.RemoveAt(index);
                detail = $"removed entry '{entry.Name}'";
                break;
            case 3:
                entries[index] = (entry.Name + "7", entry.Data);
                detail = $"renamed entry '{entry.Name}'";
                break;
            case 4:
                entries.Add((entry.Name, entry.Data.Reverse().ToArray()));
                detail = $"added a second entry '{entry.Name}'";
                break;
            default:
                entries[index] = (entry.Name, "big"u8.ToArray());
                detail = $"replaced entry '{entry.Name}' by 'big'";
                break;
        }

        return new(Build(entries, CompressionLevel.NoCompression), detail);
    }

    /// <summary>Re-writes the archive with deflated entries, then flips bits in it: exercises inflating corrupt data.</summary>
    public static Mutation DeflatedFlips(byte[] file, Random rng)
    {
        var deflated = Build(Entries(file), CompressionLevel.Optimal);
        var flipped = ByteEdits.FlipBits(deflated, rng);
        return flipped with { Detail = "deflated, then " + flipped.Detail };
    }

    /// <summary>Replaces the data.pkl entry by <paramref name="edit"/> of it and re-writes the archive.</summary>
    public static Mutation EditPickle(byte[] file, Func<byte[], PickleLayout, Mutation> edit)
    {
        var entries = Entries(file);
        var index = entries.FindIndex(e => e.Name.EndsWith("data.pkl", StringComparison.Ordinal));
        var pickle = entries[index].Data;
        var mutation = edit(pickle, PickleLayout.Walk(pickle, 0));
        entries[index] = (entries[index].Name, mutation.Bytes);
        return mutation with { Bytes = Build(entries, CompressionLevel.NoCompression), Detail = "data.pkl: " + mutation.Detail };
    }

    private static List<(string Name, byte[] Data)> Entries(byte[] file)
    {
        using var archive = new ZipArchive(new MemoryStream(file), ZipArchiveMode.Read);
        return archive.Entries.Select(e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return (e.FullName, copy.ToArray());
        }).ToList();
    }

    private static byte[] Build(List<(string Name, byte[] Data)> entries, CompressionLevel level)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in entries)
            {
                using var stream = zip.CreateEntry(name, level).Open();
                stream.Write(data);
            }
        }

        return buffer.ToArray();
    }
}
