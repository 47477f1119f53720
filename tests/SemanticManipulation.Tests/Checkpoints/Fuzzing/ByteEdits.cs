using System.Globalization;

namespace SemanticManipulation.Tests.Checkpoints.Fuzzing;

/// <summary>Format-blind mutations: what a bad disk, a cut-off download or a careless tool does to a file.</summary>
internal static class ByteEdits
{
    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x7f, 0x80, 0xff, (byte)'{', (byte)'.', (byte)'\n', 0x93];

    public static Mutation FlipBits(byte[] data, Random rng)
    {
        var bytes = (byte[])data.Clone();
        var flips = rng.Next(1, 9);
        var positions = new List<string>();
        for (var i = 0; i < flips && bytes.Length > 0; i++)
        {
            var position = rng.Next(bytes.Length);
            var bit = rng.Next(8);
            bytes[position] ^= (byte)(1 << bit);
            positions.Add($"{position}.{bit}");
        }

        return new(bytes, "flipped bits " + string.Join(", ", positions));
    }

    public static Mutation Overwrite(byte[] data, Random rng)
    {
        var bytes = (byte[])data.Clone();
        var count = rng.Next(1, 5);
        var changes = new List<string>();
        for (var i = 0; i < count && bytes.Length > 0; i++)
        {
            var position = rng.Next(bytes.Length);
            var value = rng.Next(3) == 0 ? (byte)rng.Next(256) : InterestingBytes[rng.Next(InterestingBytes.Length)];
            bytes[position] = value;
            changes.Add(string.Create(CultureInfo.InvariantCulture, $"[{position}]=0x{value:X2}"));
        }

        return new(bytes, "overwrote " + string.Join(", ", changes));
    }

    public static Mutation Truncate(byte[] data, Random rng)
    {
        // Half the cuts land near the end, where a download stops and where formats keep their directories.
        var length = rng.Next(2) == 0 ? rng.Next(data.Length) : Math.Max(0, data.Length - rng.Next(1, 65));
        return new(data[..length], $"cut to {length} of {data.Length} bytes");
    }

    public static Mutation Extend(byte[] data, Random rng)
    {
        var extra = new byte[rng.Next(1, 257)];
        if (rng.Next(2) == 0)
        {
            rng.NextBytes(extra);
        }

        return new([.. data, .. extra], $"appended {extra.Length} bytes");
    }

    public static Mutation Splice(byte[] data, Random rng)
    {
        if (data.Length < 2)
        {
            return Overwrite(data, rng);
        }

        var bytes = (byte[])data.Clone();
        var length = rng.Next(1, Math.Min(64, data.Length / 2) + 1);
        var from = rng.Next(data.Length - length + 1);
        var to = rng.Next(data.Length - length + 1);
        Array.Copy(data, from, bytes, to, length);
        return new(bytes, $"copied {length} bytes from {from} over {to}");
    }

    /// <summary>Replaces <paramref name="length"/> bytes at <paramref name="offset"/> with <paramref name="replacement"/>.</summary>
    public static byte[] Replace(byte[] data, int offset, int length, ReadOnlySpan<byte> replacement) =>
        [.. data.AsSpan(0, offset), .. replacement, .. data.AsSpan(offset + length)];
}
