using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using SemanticManipulation.Imaging;
using SemanticManipulation.Runtime;
using static TorchSharp.torch;

namespace SemanticManipulation.Checkpoints;

/// <summary>
/// Reads and writes NumPy <c>.npy</c> arrays (format versions 1.0–3.0, little-endian, C order) as TorchSharp tensors,
/// so that latents and reference outputs can be exchanged with Python without pickles.
/// </summary>
/// <remarks>Supported element types: float32 (<c>&lt;f4</c>), float64, float16, int64 (<c>&lt;i8</c>), int32, int16,
/// int8, uint8 (<c>|u1</c>) and bool. Fortran-order and big-endian arrays are refused with a message that says how to
/// re-save them.</remarks>
public static class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    // NumPy pads headers so the data starts on a 64-byte boundary; the same alignment is written here.
    private const int Alignment = 64;
    private const int MaxHeaderBytes = 1 << 20;

    /// <summary>Reads an array as a contiguous CPU tensor of the same shape and element type.</summary>
    /// <param name="path">The .npy file.</param>
    /// <returns>A new tensor the caller owns; like tensors TorchSharp creates, it belongs to the caller's current
    /// dispose scope, if any.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CheckpointFormatException">The file is not a .npy array, is truncated, or holds an unsupported
    /// layout or element type; the message names the file and the problem.</exception>
    public static Tensor Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        TorchRuntime.EnsureInitialized();
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Array file '{path}' does not exist.", path);
        }

        var source = new CheckpointSource(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        var (type, shape) = ReadHeader(stream, source);
        long numel, bytes;
        try
        {
            numel = shape.Aggregate(1L, (product, d) => checked(product * d));
            bytes = checked(numel * type.Size);
        }
        catch (OverflowException ex)
        {
            throw source.Error($"is not a valid .npy file: shape {CheckpointSource.Shape(shape)} is impossibly large.", ex);
        }

        var remaining = stream.Length - stream.Position;
        if (remaining < bytes)
        {
            throw source.Error(
                $"is truncated: an array {CheckpointSource.Shape(shape)} of '{type.NpyDescr}' needs {bytes} bytes of data " +
                $"but only {remaining} follow the header.");
        }

        using var scope = NewDisposeScope();
        var (data, read) = TensorStreams.ReadVector(stream, type, numel);
        if (read < bytes)
        {
            throw source.Error($"is truncated: its data ends after {read} of {bytes} bytes.");
        }

        // Like a TorchSharp factory, the result joins the caller's dispose scope when there is one.
        return data.reshape(shape).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Writes a tensor as a C-order little-endian .npy array (format 1.0, or 2.0 when the header needs it). The file is
    /// written to a temporary name beside the target and then moved over it, so a failure never leaves a partial file.
    /// </summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="tensor">Any device and layout; it is copied to contiguous CPU memory for writing.</param>
    /// <exception cref="ArgumentException">The element type has no .npy equivalent (e.g. bfloat16).</exception>
    public static void Write(string path, Tensor tensor)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(tensor);
        TorchRuntime.EnsureInitialized();
        var type = TensorElementType.FromScalarType(tensor.dtype);
        if (type?.NpyDescr is not { } descr)
        {
            throw new ArgumentException(
                $"Tensors of type {tensor.dtype} cannot be written to .npy (supported: {TensorElementType.NpyDescrs}); " +
                "convert it first, e.g. to float32.", nameof(tensor));
        }

        var target = Path.GetFullPath(path);
        var temporary = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        using var scope = NewDisposeScope();
        var data = tensor.detach().cpu().contiguous();
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                stream.Write(Header(descr, data.shape));
                TensorStreams.Write(stream, data);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            AtomicFile.TryDelete(temporary);
            throw;
        }
    }

    private static (TensorElementType Type, long[] Shape) ReadHeader(Stream stream, CheckpointSource source)
    {
        Span<byte> prefix = stackalloc byte[8];
        if (stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false) < prefix.Length || !prefix[..6].SequenceEqual(Magic))
        {
            throw source.Error("is not a .npy file: it does not start with the \\x93NUMPY magic string.");
        }

        int major = prefix[6], minor = prefix[7];
        Span<byte> lengthField = stackalloc byte[major == 1 ? 2 : 4];
        if (major is < 1 or > 3)
        {
            throw source.Error($"uses .npy format version {major}.{minor}; versions 1.0 to 3.0 are supported.");
        }

        if (stream.ReadAtLeast(lengthField, lengthField.Length, throwOnEndOfStream: false) < lengthField.Length)
        {
            throw source.Error("is truncated: it ends inside the .npy header.");
        }

        var headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(lengthField) : BinaryPrimitives.ReadUInt32LittleEndian(lengthField);
        if (headerLength > MaxHeaderBytes || headerLength > stream.Length - stream.Position)
        {
            throw source.Error($"is truncated or corrupt: its .npy header claims {headerLength} bytes.");
        }

        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        var text = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);

        Dictionary<string, object?> header;
        try
        {
            header = new LiteralParser(text).ParseDict();
        }
        catch (FormatException ex)
        {
            throw source.Error($"is not a valid .npy file: its header {CheckpointSource.Printable(text.Trim())} cannot be parsed ({ex.Message}).", ex);
        }

        if (header.GetValueOrDefault("fortran_order") is not bool fortranOrder ||
            header.GetValueOrDefault("shape") is not List<object?> shapeItems ||
            !header.TryGetValue("descr", out var descrValue))
        {
            throw source.Error($"is not a valid .npy file: its header {CheckpointSource.Printable(text.Trim())} lacks descr, fortran_order or shape.");
        }

        if (fortranOrder)
        {
            throw source.Error(
                "holds a Fortran-order (column-major) array, which is not supported; save it in C order, " +
                "e.g. numpy.save(path, numpy.ascontiguousarray(arr)).");
        }

        if (descrValue is not string descr)
        {
            throw source.Error("holds a structured (record) array, which is not supported; save a plain numeric array.");
        }

        var type = TensorElementType.FromNpyDescr(descr);
        if (type is null)
        {
            var shown = CheckpointSource.Printable(descr, 40);
            throw source.Error(descr.StartsWith('>')
                ? $"holds big-endian data ('{shown}'), which is not supported; save it little-endian, e.g. arr.astype('<{shown[1..]}')."
                : $"holds elements of type '{shown}', which is not supported (supported: {TensorElementType.NpyDescrs}).");
        }

        var shape = new long[shapeItems.Count];
        for (var i = 0; i < shape.Length; i++)
        {
            shape[i] = shapeItems[i] is long d && d >= 0
                ? d
                : throw source.Error($"is not a valid .npy file: its shape {CheckpointSource.Printable(text.Trim())} is not a tuple of non-negative ints.");
        }

        return (type, shape);
    }

    private static byte[] Header(string descr, long[] shape)
    {
        var dims = shape.Length switch
        {
            0 => "()",
            1 => $"({shape[0].ToString(CultureInfo.InvariantCulture)},)",
            _ => "(" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")",
        };
        var dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {dims}, }}";

        // Version 1.0 unless the header does not fit its 16-bit length field.
        var major = dict.Length + 1 + Magic.Length + 2 + 2 + Alignment > ushort.MaxValue ? 2 : 1;
        var prefixLength = Magic.Length + 2 + (major == 1 ? 2 : 4);
        var padding = (Alignment - ((prefixLength + dict.Length + 1) % Alignment)) % Alignment;
        var text = dict + new string(' ', padding) + "\n";

        var result = new byte[prefixLength + text.Length];
        Magic.CopyTo(result, 0);
        result[6] = (byte)major;
        result[7] = 0;
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(8), (ushort)text.Length);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(8), (uint)text.Length);
        }

        Encoding.Latin1.GetBytes(text, result.AsSpan(prefixLength));
        return result;
    }

    /// <summary>
    /// Parses the Python literal NumPy writes as a header: a dict of strings, bools, ints and tuples. Never evaluates
    /// anything; throws <see cref="FormatException"/> on any other syntax.
    /// </summary>
    private sealed class LiteralParser(string text)
    {
        // Real headers nest two levels; a cap keeps a hostile header from exhausting the stack.
        private const int MaxDepth = 8;

        private int _position;

        public Dictionary<string, object?> ParseDict()
        {
            var value = ParseValue(0);
            SkipSpace();
            if (_position != text.Length)
            {
                throw new FormatException($"unexpected '{text[_position]}' after the dict");
            }

            return value as Dictionary<string, object?> ?? throw new FormatException("the header is not a dict");
        }

        private object? ParseValue(int depth)
        {
            if (depth > MaxDepth)
            {
                throw new FormatException("the header nests too deeply");
            }

            SkipSpace();
            if (_position >= text.Length)
            {
                throw new FormatException("the header ends early");
            }

            var c = text[_position];
            switch (c)
            {
                case '{':
                    _position++;
                    var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
                    while (!TryConsume('}'))
                    {
                        var key = ParseValue(depth + 1) as string ?? throw new FormatException("a dict key is not a string");
                        Expect(':');
                        dict[key] = ParseValue(depth + 1);
                        if (!TryConsume(','))
                        {
                            Expect('}');
                            break;
                        }
                    }

                    return dict;
                case '(' or '[':
                    _position++;
                    var close = c == '(' ? ')' : ']';
                    var items = new List<object?>();
                    while (!TryConsume(close))
                    {
                        items.Add(ParseValue(depth + 1));
                        if (!TryConsume(','))
                        {
                            Expect(close);
                            break;
                        }
                    }

                    return items;
                case '\'' or '"':
                    var end = text.IndexOf(c, _position + 1);
                    if (end < 0)
                    {
                        throw new FormatException("a string is not terminated");
                    }

                    var content = text[(_position + 1)..end];
                    _position = end + 1;
                    return content;
                default:
                    var start = _position;
                    while (_position < text.Length && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] is '_' or '-'))
                    {
                        _position++;
                    }

                    var word = text[start.._position];
                    return word switch
                    {
                        "True" => true,
                        "False" => false,
                        "None" => null,
                        // Python 2 wrote longs with an L suffix: (4L, 32L).
                        _ when long.TryParse(word.TrimEnd('L'), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
                        _ => throw new FormatException($"unexpected '{(word.Length > 0 ? word : c.ToString())}'"),
                    };
            }
        }

        private void SkipSpace()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }

        private bool TryConsume(char c)
        {
            SkipSpace();
            if (_position < text.Length && text[_position] == c)
            {
                _position++;
                return true;
            }

            return false;
        }

        private void Expect(char c)
        {
            if (!TryConsume(c))
            {
                throw new FormatException($"expected '{c}'");
            }
        }
    }
}
