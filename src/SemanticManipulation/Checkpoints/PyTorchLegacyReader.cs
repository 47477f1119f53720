using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using static TorchSharp.torch;

namespace SemanticManipulation.Checkpoints;

/// <summary>
/// Reads PyTorch's pre-1.6 checkpoint format (<c>_use_new_zipfile_serialization=False</c>): five pickles back to back
/// (magic number, protocol version, system info, the object, the list of storage keys), then for each listed key an
/// int64 element count and that many raw little-endian elements. Nothing but the stream position delimits the parts,
/// which is why <see cref="PickleReader"/> reads byte-exactly.
/// </summary>
internal static class PyTorchLegacyReader
{
    private const long ProtocolVersion = 1001;
    private static readonly BigInteger MagicNumber = BigInteger.Parse("01950a86a20f9469cfc6c", NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public static StateDict Read(Stream stream, CheckpointSource source)
    {
        var magic = new PickleReader(stream, source, "the magic-number pickle").Load();
        if (magic is not BigInteger number || number != MagicNumber)
        {
            throw source.Error(
                $"is not a PyTorch checkpoint: it is a pickle, but not one that starts with PyTorch's magic number " +
                $"(wrong magic number: found {Show(magic)}).");
        }

        var version = new PickleReader(stream, source, "the protocol-version pickle").Load();
        if (version is not ProtocolVersion)
        {
            throw source.Error($"uses legacy serialization protocol {Show(version)}; only {ProtocolVersion} is supported.");
        }

        if (new PickleReader(stream, source, "the system-info pickle").Load() is PickleDict systemInfo &&
            systemInfo.Get("little_endian") is false)
        {
            throw source.Error("was saved on a big-endian machine; only little-endian checkpoints are supported.");
        }

        var storageTypes = new Dictionary<string, TensorElementType>(StringComparer.Ordinal);
        var root = new PickleReader(stream, source, "the object pickle", id => PersistentLoad(id, storageTypes, source)).Load();
        if (new PickleReader(stream, source, "the storage-key pickle").Load() is not List<object?> keys)
        {
            throw source.Error("is not a valid checkpoint: its storage-key pickle is not a list.");
        }

        var collector = new TensorCollector(StateDictFlattener.Flatten(root, source));
        using var scope = NewDisposeScope();
        Span<byte> header = stackalloc byte[8];
        foreach (var item in keys)
        {
            if (item is not string key || !storageTypes.TryGetValue(key, out var type))
            {
                throw source.Error($"is not a valid checkpoint: it lists storage {Show(item)}, which no tensor record describes.");
            }

            if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
            {
                throw source.Error($"is truncated: it ends before the size of storage '{key}'.");
            }

            var numel = BinaryPrimitives.ReadInt64LittleEndian(header);
            var bytes = numel < 0 || numel > long.MaxValue / type.Size
                ? throw source.Error($"is corrupt: storage '{key}' claims {numel} elements.")
                : numel * type.Size;
            if (stream.CanSeek && stream.Length - stream.Position < bytes)
            {
                throw source.Error(
                    $"is truncated: storage '{key}' needs {bytes} bytes but only {stream.Length - stream.Position} remain.");
            }

            if (!collector.Uses(key))
            {
                if (!TensorStreams.Skip(stream, bytes))
                {
                    throw source.Error($"is truncated: it ends inside storage '{key}' ({bytes} bytes).");
                }

                continue;
            }

            collector.Build(key, (_, _) =>
            {
                var (data, read) = TensorStreams.ReadVector(stream, type, numel);
                return read < bytes
                    ? throw source.Error($"is truncated: storage '{key}' needs {bytes} bytes but only {read} remain.")
                    : new TensorBuilder.LoadedStorage(data, key, numel);
            }, source);
        }

        return new StateDict(CheckpointFormat.PyTorchLegacy, source.Path, collector.Finish(source));
    }

    /// <summary>Resolves <c>('storage', storage_type, root_key, location, numel, view_metadata)</c>.</summary>
    private static StorageReference PersistentLoad(object? id, Dictionary<string, TensorElementType> types, CheckpointSource source)
    {
        if (id is not PickleTuple { Count: >= 5 } record || record[0] is not "storage")
        {
            throw source.Error(
                $"is not a valid checkpoint: a persistent id is {PickleReader.Describe(id)}, not ('storage', type, key, location, size, view).");
        }

        var type = PyTorchZipReader.StorageType(record[1], source);
        if (record[2] is not string key || record[4] is not long numel || numel < 0)
        {
            throw source.Error("is not a valid checkpoint: a storage record has no valid key or element count.");
        }

        if (types.TryGetValue(key, out var known) && known != type)
        {
            throw source.Error($"is corrupt: storage '{key}' is described both as {known} and as {type}.");
        }

        types[key] = type;
        var view = record.Count > 5 ? record[5] : null;
        if (view is null)
        {
            return new StorageReference(key, type, numel);
        }

        // Pre-1.0 files could save views of a storage: (view_key, offset, size) in elements of the root storage.
        if (view is not PickleTuple { Count: 3 } window || window[1] is not long offset || window[2] is not long length)
        {
            throw source.Error($"is not a valid checkpoint: storage '{key}' has malformed view metadata {PickleReader.Describe(view)}.");
        }

        return new StorageReference(key, type, numel, offset, length);
    }

    private static string Show(object? value) => value switch
    {
        long or BigInteger => string.Format(CultureInfo.InvariantCulture, "{0}", value),
        string text => $"'{text}'",
        _ => PickleReader.Describe(value),
    };
}
