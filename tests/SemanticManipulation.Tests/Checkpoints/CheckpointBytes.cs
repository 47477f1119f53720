using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SemanticManipulation.Checkpoints;

namespace SemanticManipulation.Tests.Checkpoints;

/// <summary>Builds whole checkpoint files around hand-written pickles.</summary>
internal static class CheckpointBytes
{
    /// <summary>The three pickles a legacy file starts with: magic number, protocol 1001, an empty sys_info dict.</summary>
    public static byte[] LegacyHeader(byte[]? magic = null)
    {
        magic ??= [0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19]; // 0x1950a86a20f9469cfc6c, little-endian
        var header = new PickleBuilder().Proto().Op(PickleOpcode.Long1).Raw((byte)magic.Length).Raw(magic).Stop()
            .Proto().Op(PickleOpcode.BinInt2).Raw(0xe9, 0x03).Stop()
            .Proto().Op(PickleOpcode.EmptyDict).Stop();
        return header.ToArray();
    }

    /// <summary>A legacy file: header, the object pickle, the key list, then each storage as int64 count + float32 data.</summary>
    public static byte[] Legacy(byte[] objectPickle, params (string Key, float[] Data)[] storages)
    {
        using var file = new MemoryStream();
        file.Write(LegacyHeader());
        file.Write(objectPickle);
        var keys = new PickleBuilder().Proto().Mark();
        foreach (var (key, _) in storages)
        {
            keys.Str(key);
        }

        file.Write(keys.Op(PickleOpcode.List).Stop().ToArray());
        foreach (var (_, data) in storages)
        {
            var count = new byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(count, data.Length);
            file.Write(count);
            foreach (var value in data)
            {
                var bytes = new byte[4];
                BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
                file.Write(bytes);
            }
        }

        return file.ToArray();
    }

    /// <summary>A zip archive with the given entries (stored, like torch.save writes them).</summary>
    public static byte[] Zip(params (string Name, byte[] Data)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in entries)
            {
                using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
                stream.Write(data);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>Every entry of a zip file, in order.</summary>
    public static List<(string Name, byte[] Data)> ZipEntries(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        return zip.Entries.Select(e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return (e.FullName, copy.ToArray());
        }).ToList();
    }

    public static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }

    /// <summary>A safetensors file from a raw header string and data buffer.</summary>
    public static byte[] SafeTensors(string header, byte[] data, ulong? headerLength = null)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var result = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(result, headerLength ?? (ulong)json.Length);
        json.CopyTo(result, 8);
        data.CopyTo(result, 8 + json.Length);
        return result;
    }
}
