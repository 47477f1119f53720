using System.Buffers.Binary;
using System.Numerics;

namespace SemanticManipulation.Tests.Checkpoints.Fuzzing;

/// <summary>
/// Turns (format, seed, case index) into a mutated checkpoint, deterministically: the index picks the kind of
/// mutation (cycling through every kind the format has), and a generator seeded from all three picks the sample and
/// the details. Any case can therefore be rebuilt alone from the three numbers a failure prints.
/// </summary>
internal static class CheckpointMutator
{
    private static readonly Dictionary<string, Func<byte[], Random, Mutation>> Generic = new(StringComparer.Ordinal)
    {
        ["bit flips"] = ByteEdits.FlipBits,
        ["byte overwrite"] = ByteEdits.Overwrite,
        ["truncation"] = ByteEdits.Truncate,
        ["extension"] = ByteEdits.Extend,
        ["block copy"] = ByteEdits.Splice,
    };

    private static readonly Dictionary<string, Func<byte[], PickleLayout, Random, Mutation>> PickleKinds = new(StringComparer.Ordinal)
    {
        ["pickle int lie (size, stride, offset, count)"] = PickleEdits.IntLie,
        ["pickle storage-type lie"] = PickleEdits.DtypeLie,
        ["pickle string edit"] = PickleEdits.StringEdit,
        ["pickle opcode edit"] = PickleEdits.OpcodeEdit,
        ["hostile global replacing one"] = (file, pickle, rng) =>
            pickle.Globals.Count > 0 ? PickleEdits.HostileReplace(file, pickle, rng) : PickleEdits.HostileInsert(file, pickle, rng),
        ["hostile global call inserted"] = PickleEdits.HostileInsert,
    };

    private static readonly Dictionary<FuzzFormat, Dictionary<string, Func<byte[], Random, Mutation>>> Specific = new()
    {
        [FuzzFormat.SafeTensors] = Table(
            ("header length lie", SafeTensorsEdits.LengthLie),
            ("dtype lie", SafeTensorsEdits.DtypeLie),
            ("shape lie", SafeTensorsEdits.ShapeLie),
            ("data_offsets lie", SafeTensorsEdits.OffsetLie),
            ("header structure edit", SafeTensorsEdits.StructureEdit)),
        [FuzzFormat.PyTorchZip] = Table(
        [
            ("zip header lie", ZipEdits.HeaderLie),
            ("zip entry edit", ZipEdits.EntryEdit),
            ("deflated, then bit flips", ZipEdits.DeflatedFlips),
            .. PickleKinds.Select(k => (k.Key, (Func<byte[], Random, Mutation>)((file, rng) =>
                ZipEdits.EditPickle(file, (pickle, layout) => k.Value(pickle, layout, rng))))),
        ]),
        [FuzzFormat.PyTorchLegacy] = Table(
        [
            ("storage count lie", StorageCountLie),
            .. PickleKinds.Select(k => (k.Key, (Func<byte[], Random, Mutation>)((file, rng) =>
                k.Value(file, ChoosePickle(LegacyLayout.Of(file), k.Key, rng), rng)))),
        ]),
        [FuzzFormat.Npy] = Table(
            ("descr lie", NpyEdits.DescrLie),
            ("shape lie", NpyEdits.ShapeLie),
            ("fortran_order lie", NpyEdits.OrderLie),
            ("version or header length lie", NpyEdits.PrefixLie)),
    };

    /// <summary>Every kind of mutation applied to <paramref name="format"/>, in the order case indices cycle through.</summary>
    public static IReadOnlyList<string> Kinds(FuzzFormat format) => [.. Generic.Keys, .. Specific[format].Keys];

    public static FuzzCase Case(FuzzFormat format, int seed, int index)
    {
        var rng = new Random(CaseSeed(format, seed, index));
        var samples = FuzzSamples.For(format);
        var sample = samples[rng.Next(samples.Count)];
        var kinds = Kinds(format);
        var kind = kinds[index % kinds.Count];
        var mutate = Generic.TryGetValue(kind, out var generic) ? generic : Specific[format][kind];
        return new FuzzCase(format, seed, index, sample, kind, mutate(sample.Bytes, rng));
    }

    private static Mutation StorageCountLie(byte[] file, Random rng)
    {
        var counts = LegacyLayout.Of(file).StorageCounts;
        var (offset, count) = counts[rng.Next(counts.Count)];
        var value = (long)(ulong)(Interesting.Integer(rng, count) & ulong.MaxValue);
        var bytes = (byte[])file.Clone();
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(offset), value);
        return new(bytes, $"storage count at {offset}: {count} -> {value}");
    }

    /// <summary>The object pickle for edits that need its globals; otherwise any of the five, mostly the object one.</summary>
    private static PickleLayout ChoosePickle(LegacyLayout layout, string kind, Random rng) =>
        kind.Contains("storage-type", StringComparison.Ordinal) || kind.Contains("replacing", StringComparison.Ordinal) || rng.Next(10) < 7
            ? layout.ObjectPickle
            : layout.Pickles[rng.Next(layout.Pickles.Count)];

    private static Dictionary<string, Func<byte[], Random, Mutation>> Table(params (string Kind, Func<byte[], Random, Mutation> Mutate)[] kinds) =>
        kinds.ToDictionary(k => k.Kind, k => k.Mutate, StringComparer.Ordinal);

    /// <summary>SplitMix64 of the three numbers: stable across runtimes, unlike <see cref="HashCode"/>.</summary>
    private static int CaseSeed(FuzzFormat format, int seed, int index)
    {
        var x = ((ulong)(uint)seed << 32) ^ ((ulong)format << 24) ^ (uint)index;
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return (int)(x & int.MaxValue);
    }
}
