using System.Buffers.Binary;
using SemanticManipulation.Checkpoints;

namespace SemanticManipulation.Tests.Checkpoints.Fuzzing;

/// <summary>Where a valid legacy checkpoint keeps its five pickles and each storage's element count.</summary>
internal sealed class LegacyLayout
{
    private LegacyLayout(IReadOnlyList<PickleLayout> pickles, IReadOnlyList<(int Offset, long Count)> storageCounts)
    {
        Pickles = pickles;
        StorageCounts = storageCounts;
    }

    /// <summary>Magic number, protocol version, system info, the object, the storage keys.</summary>
    public IReadOnlyList<PickleLayout> Pickles { get; }

    /// <summary>The int64 element count in front of each storage's data.</summary>
    public IReadOnlyList<(int Offset, long Count)> StorageCounts { get; }

    public PickleLayout ObjectPickle => Pickles[3];

    public static LegacyLayout Of(byte[] file)
    {
        var pickles = new List<PickleLayout>();
        var position = 0;
        for (var i = 0; i < 5; i++)
        {
            pickles.Add(PickleLayout.Walk(file, position));
            position = pickles[^1].End;
        }

        // Element sizes come from the storage records, read by the SDK's own pickle reader.
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        using (var stream = new MemoryStream(file, pickles[3].Start, pickles[3].End - pickles[3].Start))
        {
            new PickleReader(stream, new CheckpointSource("layout"), "object", id =>
            {
                var record = (PickleTuple)id!;
                var type = ((PickleGlobal)record[1]!).StorageType!;
                sizes[(string)record[2]!] = type.Size;
                return new StorageReference((string)record[2]!, type, (long)record[4]!);
            }).Load();
        }

        using var keysStream = new MemoryStream(file, pickles[4].Start, pickles[4].End - pickles[4].Start);
        var keys = (List<object?>)new PickleReader(keysStream, new CheckpointSource("layout"), "keys").Load()!;
        var counts = new List<(int, long)>();
        foreach (var key in keys)
        {
            var count = BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(position));
            counts.Add((position, count));
            position += 8 + (int)(count * sizes[(string)key!]);
        }

        return new LegacyLayout(pickles, counts);
    }
}
