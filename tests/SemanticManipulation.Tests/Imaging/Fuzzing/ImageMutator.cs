using SemanticManipulation.Tests.DefaultModel;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tga;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace SemanticManipulation.Tests.Imaging.Fuzzing;

/// <summary>
/// Deterministic mutations of real encoded images: the sample photo in every format ImageSharp writes, then bit flips,
/// byte runs, truncations, insertions and deletions, and lies in the header's width and height fields. Case
/// <c>(format, seed, index)</c> is always the same bytes, so a failure can be replayed alone.
/// </summary>
internal static class ImageMutator
{
    public static IReadOnlyList<string> Formats { get; } = ["png", "jpeg", "webp", "gif", "bmp", "tiff", "tga"];

    private static readonly Dictionary<string, byte[]> Originals = new(StringComparer.Ordinal);

    /// <summary>The unmutated image in <paramref name="format"/>: the sample photo at 96×80.</summary>
    public static byte[] Original(string format)
    {
        lock (Originals)
        {
            if (!Originals.TryGetValue(format, out var bytes))
            {
                using var photo = Image.Load<Rgb24>(DefaultModelFixture.SamplePhoto("church.jpg"));
                photo.Mutate(x => x.Resize(96, 80));
                using var stream = new MemoryStream();
                photo.Save(stream, Encoder(format));
                bytes = stream.ToArray();
                Originals[format] = bytes;
            }

            return bytes;
        }
    }

    /// <summary>The bytes of one case and what was done to them.</summary>
    public static (byte[] Bytes, string Mutation) Case(string format, int seed, int index)
    {
        // Not HashCode.Combine: it is randomised per process, and a case must be the same bytes in every run.
        var random = new Random(unchecked((seed * 1_000_003) + (index * 7919) + format.Sum(c => c * 31)));
        var bytes = (byte[])Original(format).Clone();
        var kind = random.Next(7);
        switch (kind)
        {
            case 0:
                var flips = 1 + random.Next(8);
                for (var i = 0; i < flips; i++)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                return (bytes, $"{flips} bit flips");
            case 1:
                var cut = random.Next(bytes.Length);
                return (bytes[..cut], $"truncated to {cut} bytes");
            case 2:
                var start = random.Next(bytes.Length);
                var length = Math.Min(bytes.Length - start, 1 + random.Next(64));
                var value = (byte)random.Next(256);
                bytes.AsSpan(start, length).Fill(value);
                return (bytes, $"{length} bytes at {start} set to {value}");
            case 3:
                // A header lie: somewhere in the first 64 bytes, a 16- or 32-bit field made huge or zero.
                var at = random.Next(Math.Min(60, bytes.Length - 4));
                uint[] lies = [0, 1, 0xFFFF, 0x7FFF_FFFF, 0xFFFF_FFFF, 65_535, 1_000_000];
                var lie = lies[random.Next(lies.Length)];
                if (random.Next(2) == 0)
                {
                    BitConverter.TryWriteBytes(bytes.AsSpan(at, 4), lie);
                }
                else
                {
                    bytes[at] = (byte)(lie >> 8);
                    bytes[at + 1] = (byte)lie;
                }

                return (bytes, $"header field at {at} set to {lie}");
            case 4:
                var insertAt = random.Next(bytes.Length);
                var inserted = new byte[1 + random.Next(256)];
                random.NextBytes(inserted);
                return ([.. bytes[..insertAt], .. inserted, .. bytes[insertAt..]], $"{inserted.Length} random bytes inserted at {insertAt}");
            case 5:
                var from = random.Next(bytes.Length);
                var count = Math.Min(bytes.Length - from, 1 + random.Next(512));
                return ([.. bytes[..from], .. bytes[(from + count)..]], $"{count} bytes deleted at {from}");
            default:
                var chunkStart = random.Next(bytes.Length);
                var chunkLength = Math.Min(bytes.Length - chunkStart, 1 + random.Next(2048));
                var copies = 1 + random.Next(16);
                var repeated = Enumerable.Repeat(bytes[chunkStart..(chunkStart + chunkLength)], copies).SelectMany(b => b);
                return ([.. bytes[..chunkStart], .. repeated, .. bytes[chunkStart..]], $"{chunkLength} bytes at {chunkStart} repeated {copies} times");
        }
    }

    private static IImageEncoder Encoder(string format) => format switch
    {
        "png" => new PngEncoder(),
        "jpeg" => new JpegEncoder { Quality = 90 },
        "webp" => new WebpEncoder(),
        "gif" => new GifEncoder(),
        "bmp" => new BmpEncoder(),
        "tiff" => new TiffEncoder(),
        "tga" => new TgaEncoder(),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Not a fuzzed format."),
    };
}
