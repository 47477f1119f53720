using System.Buffers.Binary;
using SemanticManipulation.Runtime;

namespace SemanticManipulation.Checkpoints;

/// <summary>
/// Reads a checkpoint's tensors without Python: PyTorch zip (<c>torch.save</c>), PyTorch legacy (pre-1.6) and
/// safetensors. The format is detected from the content, never from the extension.
/// </summary>
public static class StateDictReader
{
    private const string SupportedFormats =
        "supported formats are PyTorch checkpoints written by torch.save (zip, or legacy with " +
        "_use_new_zipfile_serialization=False) and safetensors";

    private const int PickleProtocolOpcode = 0x80;

    /// <summary>Pickle protocols torch.save can have written (2 by default, up to 5 with <c>pickle_protocol</c>).</summary>
    private const int MinPickleProtocol = 2;
    private const int MaxPickleProtocol = 5;

    /// <summary>Bytes read to detect the format: a safetensors header length and the first byte of its JSON.</summary>
    private const int HeadLength = 9;

    /// <summary>Reads the checkpoint at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CheckpointFormatException">The file is empty, truncated, corrupt or in an unsupported format.</exception>
    public static StateDict Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        TorchRuntime.EnsureInitialized();
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Checkpoint file '{path}' does not exist.", path);
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        return ReadCore(stream, path);
    }

    /// <summary>
    /// Reads a checkpoint from a stream, starting at its current position. A stream that cannot seek (or does not
    /// start at position 0) is first copied into memory, because the zip and safetensors formats need random access.
    /// </summary>
    /// <param name="stream">The checkpoint's bytes; left open.</param>
    /// <param name="displayName">Names the checkpoint in error messages (typically its path).</param>
    /// <exception cref="CheckpointFormatException">The content is empty, truncated, corrupt or in an unsupported format.</exception>
    public static StateDict Read(Stream stream, string displayName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(displayName);
        TorchRuntime.EnsureInitialized();
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream must be readable.", nameof(stream));
        }

        if (stream.CanSeek && stream.Position == 0)
        {
            return ReadCore(stream, displayName);
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        copy.Position = 0;
        return ReadCore(copy, displayName);
    }

    private static StateDict ReadCore(Stream stream, string displayName)
    {
        var source = new CheckpointSource(displayName);
        Span<byte> head = stackalloc byte[HeadLength];
        var length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        head = head[..length];
        stream.Position = 0;

        var format = Detect(head, stream.Length, source);
        try
        {
            return format switch
            {
                CheckpointFormat.PyTorchZip => PyTorchZipReader.Read(stream, source),
                CheckpointFormat.PyTorchLegacy => PyTorchLegacyReader.Read(stream, source),
                _ => SafeTensorsReader.Read(stream, source),
            };
        }
        catch (InvalidDataException ex)
        {
            // Raised by the zip layer while inflating or checking an entry after the directory was read.
            throw source.Error($"is corrupt: {ex.Message}", ex);
        }
        catch (EndOfStreamException ex)
        {
            throw source.Error($"is truncated: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Recognises the format from the first bytes. No single byte decides: a safetensors header length is any 8-byte
    /// number, so its first byte is 0x80 (pickle's PROTO opcode) for about one aligned header in 32.
    /// </summary>
    private static CheckpointFormat Detect(ReadOnlySpan<byte> head, long fileLength, CheckpointSource source)
    {
        if (head.IsEmpty)
        {
            throw source.Error($"is empty (0 bytes); {SupportedFormats}.");
        }

        // Local file header, or the end-of-directory record of an empty archive.
        if (head.StartsWith("PK\x03\x04"u8) || head.StartsWith("PK\x05\x06"u8))
        {
            return CheckpointFormat.PyTorchZip;
        }

        // safetensors: an 8-byte header length that fits the file, then a JSON header that must begin with '{'.
        var jsonFollows = head.Length == HeadLength && head[8] == (byte)'{';
        if (jsonFollows && SafeTensorsReader.IsPlausibleHeaderLength(BinaryPrimitives.ReadUInt64LittleEndian(head), fileLength))
        {
            return CheckpointFormat.SafeTensors;
        }

        // torch.save's legacy format begins with a pickle (PROTO and a protocol torch.save writes) of its magic number,
        // whose ninth byte is inside that number or a frame length, never '{'.
        if (head[0] == PickleProtocolOpcode && (head.Length < 2 || head[1] is >= MinPickleProtocol and <= MaxPickleProtocol) && !jsonFollows)
        {
            return CheckpointFormat.PyTorchLegacy;
        }

        // A header length that does not fit: the safetensors reader says what is wrong with it (typically truncation).
        if (jsonFollows)
        {
            return CheckpointFormat.SafeTensors;
        }

        throw source.Error(
            head.Length < HeadLength
                ? $"is too short ({head.Length} bytes) to be a checkpoint; {SupportedFormats}."
                : $"is not a checkpoint in a supported format (it starts with bytes {Convert.ToHexString(head)}); {SupportedFormats}.");
    }
}
