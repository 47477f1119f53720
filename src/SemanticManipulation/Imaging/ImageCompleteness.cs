using System.Buffers.Binary;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;

namespace SemanticManipulation.Imaging;

/// <summary>
/// Whether an encoded image is whole, and how many frames it has. ImageSharp 2.1 decodes a JPEG cut in half into a
/// photo whose lower part is flat grey, without a word; an edit of half a photo must not go ahead silently. The check
/// walks the format's own structure (JPEG markers up to EOI, PNG chunks up to IEND, WebP's RIFF chunks), so it is
/// not fooled by an embedded thumbnail's end marker or by data appended after the image.
/// </summary>
internal static class ImageCompleteness
{
    /// <summary>Why the image is incomplete, or null when it is whole (or of a format without such a check).</summary>
    /// <param name="data">The encoded image from its first byte.</param>
    /// <param name="format">The format ImageSharp identified.</param>
    public static string? FindTruncation(ReadOnlySpan<byte> data, IImageFormat format) => format switch
    {
        JpegFormat => JpegTruncation(data),
        PngFormat => PngTruncation(data),
        WebpFormat => RiffTruncation(data),
        _ => null,
    };

    /// <summary>The frames of an animated WebP (its ANMF chunks); 1 for a still one.</summary>
    public static int WebpFrames(ReadOnlySpan<byte> data)
    {
        var frames = 0;
        for (long position = 12; position + 8 <= data.Length;)
        {
            var at = (int)position;
            var size = (long)BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(at + 4, 4));
            if (data.Slice(at, 4).SequenceEqual("ANMF"u8))
            {
                frames++;
            }

            position += 8 + size + (size & 1);
        }

        return Math.Max(1, frames);
    }

    private static string? JpegTruncation(ReadOnlySpan<byte> data)
    {
        var position = 2;   // after SOI
        while (true)
        {
            // Find the next marker: 0xFF, any fill 0xFF bytes, then the marker code.
            while (position < data.Length && data[position] != 0xFF)
            {
                position++;
            }

            while (position < data.Length && data[position] == 0xFF)
            {
                position++;
            }

            if (position >= data.Length)
            {
                return "its data ends before the end-of-image marker";
            }

            var marker = data[position++];
            if (marker == 0xD9)
            {
                return null;   // EOI: whole (anything after it is not the image's)
            }

            if (marker is 0x01 or >= 0xD0 and <= 0xD7)
            {
                continue;      // markers without a length
            }

            if (position + 2 > data.Length)
            {
                return "it ends inside a segment header";
            }

            var length = (data[position] << 8) | data[position + 1];
            if (length < 2 || position + length > data.Length)
            {
                return "it ends inside a segment";
            }

            position += length;
            if (marker == 0xDA)
            {
                // Entropy-coded data follows a scan header: skip to the next marker that is not a stuffed 0xFF00 or a
                // restart marker.
                while (position + 1 < data.Length && !(data[position] == 0xFF && data[position + 1] != 0x00 && data[position + 1] is < 0xD0 or > 0xD7))
                {
                    position++;
                }

                if (position + 1 >= data.Length)
                {
                    return "its compressed data ends before the end-of-image marker";
                }
            }
        }
    }

    private static string? PngTruncation(ReadOnlySpan<byte> data)
    {
        for (var position = 8; ;)
        {
            if (position + 8 > data.Length)
            {
                return "its data ends before the IEND chunk";
            }

            var length = ((long)data[position] << 24) | ((long)data[position + 1] << 16) | ((long)data[position + 2] << 8) | data[position + 3];
            var type = data.Slice(position + 4, 4);
            var next = position + 12 + length;
            if (next > data.Length)
            {
                return IsChunkName(type) ? $"it ends inside its {System.Text.Encoding.ASCII.GetString(type)} chunk" : "it ends inside a chunk";
            }

            if (type.SequenceEqual("IEND"u8))
            {
                return null;
            }

            position = (int)next;
        }
    }

    private static bool IsChunkName(ReadOnlySpan<byte> type)
    {
        foreach (var b in type)
        {
            if (b is not (>= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z'))
            {
                return false;
            }
        }

        return true;
    }

    private static string? RiffTruncation(ReadOnlySpan<byte> data)
    {
        if (data.Length < 12)
        {
            return "it ends inside its header";
        }

        var declared = (long)BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(4, 4)) + 8;
        return declared > data.Length ? $"it holds {data.Length} of the {declared} bytes its header declares" : null;
    }
}
