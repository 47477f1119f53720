using System.IO.Compression;
using System.Text;
using static TorchSharp.torch;

namespace SemanticManipulation.Checkpoints;

/// <summary>
/// Reads PyTorch's zip checkpoint format (<c>torch.save</c> since 1.6): <c>&lt;prefix&gt;/data.pkl</c> describes the
/// objects and <c>&lt;prefix&gt;/data/&lt;key&gt;</c> holds each storage's raw little-endian bytes.
/// </summary>
internal static class PyTorchZipReader
{
    private const string PickleName = "data.pkl";
    private const long MaxPickleBytes = 1L << 30;

    public static StateDict Read(Stream stream, CheckpointSource source)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            // The central directory sits at the very end of a zip, so a cut-off download fails exactly here.
            throw source.Error(
                $"is truncated or corrupt: it starts like a zip archive (PyTorch's checkpoint format) but its central " +
                $"directory cannot be read ({ex.Message}).", ex);
        }

        using (archive)
        {
            var pickleEntry = FindPickle(archive) ?? throw source.Error(
                $"is a zip archive but not a PyTorch checkpoint: it has no '{PickleName}' entry " +
                $"(entries: {string.Join(", ", archive.Entries.Take(5).Select(e => e.FullName))}).");
            var prefix = pickleEntry.FullName[..^PickleName.Length];
            CheckByteOrder(archive, prefix, source);

            object? root;
            using (var pickle = ReadEntry(pickleEntry, stream.Length, source))
            {
                root = new PickleReader(pickle, source, pickleEntry.FullName, id => PersistentLoad(id, source)).Load();
            }

            var collector = new TensorCollector(StateDictFlattener.Flatten(root, source));
            using var scope = NewDisposeScope();
            foreach (var key in collector.StorageKeys)
            {
                var entryName = prefix + "data/" + key;
                var entry = archive.GetEntry(entryName) ?? throw source.Error(
                    $"is truncated or corrupt: storage '{entryName}' of tensor '{collector.FirstUser(key)}' is missing.");
                collector.Build(key, (type, declaredNumel) => LoadStorage(entry, stream.Length, type, declaredNumel, source), source);
            }

            return new StateDict(CheckpointFormat.PyTorchZip, source.Path, collector.Finish(source));
        }
    }

    private static ZipArchiveEntry? FindPickle(ZipArchive archive)
    {
        // The prefix varies (the file stem in PyTorch 1.13, "archive" elsewhere); prefer the top-level record.
        var candidates = archive.Entries
            .Where(e => e.FullName.EndsWith(PickleName, StringComparison.Ordinal) &&
                        (e.FullName.Length == PickleName.Length || e.FullName[^(PickleName.Length + 1)] == '/'))
            .OrderBy(e => e.FullName.Count(c => c == '/'))
            .ThenBy(e => e.FullName, StringComparer.Ordinal);
        return candidates.FirstOrDefault();
    }

    private static void CheckByteOrder(ZipArchive archive, string prefix, CheckpointSource source)
    {
        var entry = archive.GetEntry(prefix + "byteorder");
        if (entry is null || entry.Length > 16)
        {
            return;
        }

        using var stream = entry.Open();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        if (reader.ReadToEnd().Trim() == "big")
        {
            throw source.Error("was saved on a big-endian machine; only little-endian checkpoints are supported.");
        }
    }

    private static MemoryStream ReadEntry(ZipArchiveEntry entry, long archiveLength, CheckpointSource source)
    {
        CheckPlausibleLength(entry, archiveLength, source);
        if (entry.Length > MaxPickleBytes)
        {
            throw source.Error($"is not a valid checkpoint: '{entry.FullName}' claims {entry.Length} bytes.");
        }

        var buffer = new MemoryStream();
        using (var data = entry.Open())
        {
            data.CopyTo(buffer);
        }

        buffer.Position = 0;
        return buffer;
    }

    /// <summary>
    /// Refuses sizes a corrupt directory could claim: a stored entry cannot be larger than the archive and deflate
    /// cannot expand data more than 1032-fold. Sizes are checked before they become allocations.
    /// </summary>
    private static void CheckPlausibleLength(ZipArchiveEntry entry, long archiveLength, CheckpointSource source)
    {
        const long MaxDeflateRatio = 1032;
        if (entry.CompressedLength < 0 || entry.CompressedLength > archiveLength ||
            entry.Length < 0 || entry.Length > (entry.CompressedLength * MaxDeflateRatio) + 1024)
        {
            throw source.Error(
                $"is corrupt: zip entry '{entry.FullName}' claims {entry.Length} bytes ({entry.CompressedLength} compressed) " +
                $"in a {archiveLength}-byte file.");
        }
    }

    private static TensorBuilder.LoadedStorage LoadStorage(
        ZipArchiveEntry entry, long archiveLength, TensorElementType type, long declaredNumel, CheckpointSource source)
    {
        // Read no more than the pickle declares and no more than the entry holds; a short entry is reported per
        // tensor by TensorBuilder, which knows the tensor's name.
        CheckPlausibleLength(entry, archiveLength, source);
        var numel = Math.Min(declaredNumel, entry.Length / type.Size);
        using var data = entry.Open();
        var (tensor, bytesRead) = TensorStreams.ReadVector(data, type, numel);
        var complete = bytesRead / type.Size;
        var loaded = complete == numel ? tensor : tensor.narrow(0, 0, complete);
        return new TensorBuilder.LoadedStorage(loaded, entry.FullName, declaredNumel);
    }

    /// <summary>Resolves <c>('storage', storage_type, key, location, numel)</c>.</summary>
    private static StorageReference PersistentLoad(object? id, CheckpointSource source)
    {
        if (id is not PickleTuple { Count: >= 5 } record || record[0] is not "storage")
        {
            throw source.Error(
                $"is not a valid checkpoint: a persistent id is {PickleReader.Describe(id)}, not ('storage', type, key, location, size).");
        }

        var type = StorageType(record[1], source);
        if (record[2] is not string key || key.Length == 0 || record[4] is not long numel || numel < 0)
        {
            throw source.Error("is not a valid checkpoint: a storage record has no valid key or element count.");
        }

        return new StorageReference(key, type, numel);
    }

    /// <summary>The element type of a storage-type global, or a clear error for an unsupported one.</summary>
    internal static TensorElementType StorageType(object? value, CheckpointSource source) => value switch
    {
        PickleGlobal { StorageType: { } type } => type,
        PickleGlobal other => throw source.Error(
            $"uses storage type {other}, which is not supported (supported: {TensorElementType.StorageNames})."),
        _ => throw source.Error($"is not a valid checkpoint: a storage's type is {PickleReader.Describe(value)}."),
    };
}
