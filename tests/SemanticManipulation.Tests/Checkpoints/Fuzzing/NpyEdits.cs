using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace SemanticManipulation.Tests.Checkpoints.Fuzzing;

/// <summary>Mutations of a .npy header: descr, shape, fortran_order, version and header length that lie.</summary>
internal static partial class NpyEdits
{
    private static readonly string[] Descrs =
    [
        "<f4", "<f8", "<f2", "<i8", "<i4", "<i2", "|i1", "|u1", "|b1", ">f4", ">i8", "|O", "<c8", "<U4", "|V8", "<M8[ns]", "f4", "", "<f16",
    ];

    private static readonly string[] Shapes =
    [
        "()", "(0,)", "(1,)", "(-1,)", "(4611686018427387904,)", "(65536, 65536)", "(3037000500, 3037000500, 3)", "(2, 3, 4, 5)",
        "(1, 1, 1, 1, 1, 1, 1, 1, 1)", "(2.5,)", "('a',)", "[2, 3]", "(2 3)", "(((((((((((1,),),),),),),),),),),)", "(1L, 2L)", "(99999999999999999999,)",
    ];

    private static readonly string[] Orders = ["True", "1", "'no'", "None"];

    public static Mutation DescrLie(byte[] file, Random rng) => EditHeader(file, rng, text =>
    {
        var descr = rng.Next(8) == 0 ? "[('a', '<f4')]" : $"'{Descrs[rng.Next(Descrs.Length)]}'";
        return (DescrPattern().Replace(text, $"'descr': {descr}"), $"descr -> {descr}");
    });

    public static Mutation ShapeLie(byte[] file, Random rng) => EditHeader(file, rng, text =>
    {
        var shape = Shapes[rng.Next(Shapes.Length)];
        return (ShapePattern().Replace(text, $"'shape': {shape}"), $"shape -> {shape}");
    });

    public static Mutation OrderLie(byte[] file, Random rng) => EditHeader(file, rng, text =>
    {
        var order = Orders[rng.Next(Orders.Length)];
        var edited = rng.Next(4) == 0
            ? text.Replace("'fortran_order': False, ", "", StringComparison.Ordinal)
            : text.Replace("'fortran_order': False", $"'fortran_order': {order}", StringComparison.Ordinal);
        return (edited, edited.Contains("fortran_order", StringComparison.Ordinal) ? $"fortran_order -> {order}" : "fortran_order removed");
    });

    /// <summary>Changes the version byte or the header length field without changing the header.</summary>
    public static Mutation PrefixLie(byte[] file, Random rng)
    {
        var bytes = (byte[])file.Clone();
        if (rng.Next(2) == 0)
        {
            bytes[6] = (byte)new[] { 0, 2, 3, 4, 255 }[rng.Next(5)];
            return new(bytes, $"version {file[6]} -> {bytes[6]}");
        }

        var original = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        var value = (ushort)Interesting.Unsigned(rng, original, 2, file.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), value);
        return new(bytes, $"header length {original} -> {value}");
    }

    /// <summary>Re-writes the header with <paramref name="edit"/> applied, as format 1.0 or (sometimes) 2.0 or 3.0.</summary>
    private static Mutation EditHeader(byte[] file, Random rng, Func<string, (string Text, string Detail)> edit)
    {
        var length = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(8));
        var text = Encoding.Latin1.GetString(file, 10, length);
        var data = file[(10 + length)..];
        var (edited, detail) = edit(text.TrimEnd());
        var header = Encoding.UTF8.GetBytes(edited + "\n");
        var major = (byte)(rng.Next(4) == 0 ? rng.Next(2, 4) : 1);
        byte[] prefix = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', major, 0];
        var lengthField = new byte[major == 1 ? 2 : 4];
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(lengthField, (ushort)header.Length);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(lengthField, (uint)header.Length);
        }

        return new([.. prefix, .. lengthField, .. header, .. data], $"{detail} (format {major}.0)");
    }

    [GeneratedRegex(@"'descr':\s*'[^']*'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'shape':\s*\([^)]*\)")]
    private static partial Regex ShapePattern();
}
