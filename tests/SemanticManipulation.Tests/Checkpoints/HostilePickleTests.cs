using SemanticManipulation.Checkpoints;
using Xunit;

namespace SemanticManipulation.Tests.Checkpoints;

/// <summary>
/// A pickle that would run code under <c>torch.load</c> is refused, naming the file and the global, like
/// <c>torch.load(weights_only=True)</c>: only the globals a weights file needs are accepted. Nothing is ever executed
/// either way; the refusal is what tells the user the file is not what it claims to be.
/// </summary>
public sealed class HostilePickleTests
{
    private static readonly (string Module, string Name)[] HostileGlobals =
    [
        ("os", "system"), ("posix", "system"), ("nt", "system"), ("builtins", "eval"), ("builtins", "exec"),
        ("__builtin__", "eval"), ("subprocess", "getoutput"), ("subprocess", "Popen"), ("builtins", "getattr"),
        ("builtins", "__import__"), ("runpy", "_run_code"), ("webbrowser", "open"),
    ];

    public static TheoryData<string, string, bool, bool> HostileCases
    {
        get
        {
            var data = new TheoryData<string, string, bool, bool>();
            foreach (var (module, name) in HostileGlobals)
            {
                foreach (var stackGlobal in new[] { false, true })
                {
                    foreach (var legacy in new[] { false, true })
                    {
                        data.Add(module, name, stackGlobal, legacy);
                    }
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(HostileCases))]
    public void A_checkpoint_whose_pickle_calls_a_hostile_global_is_refused_naming_it(string module, string name, bool stackGlobal, bool legacy)
    {
        // {'w': tensor([1., 2.]), 'x': module.name('echo pwned')}: the weights are fine, the extra entry is the attack.
        var pickle = new PickleBuilder().Proto(stackGlobal ? 4 : 2).Op(PickleOpcode.EmptyDict)
            .Str("w").Tensor(p => _ = legacy ? p.LegacyStorage("k", 2) : p.ZipStorage("k", 2), 0, [2], [1]).Op(PickleOpcode.SetItem)
            .Str("x");
        pickle = stackGlobal ? pickle.StackGlobal(module, name) : pickle.Global(module, name);
        pickle.Str("echo pwned").Op(PickleOpcode.Tuple1).Op(PickleOpcode.Reduce).Op(PickleOpcode.SetItem).Stop();

        var error = Read(legacy
            ? CheckpointBytes.Legacy(pickle.ToArray(), ("k", [1f, 2f]))
            : CheckpointBytes.Zip(("archive/data.pkl", pickle.ToArray()), ("archive/data/k", CheckpointBytes.Floats(1f, 2f))));

        Assert.StartsWith(
            $"evil.pth is refused: its pickle calls {module}.{name}, which is not on the list of globals a weights file may use " +
            "(torch.load(weights_only=True) refuses it too); ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hostile_global_is_refused_even_where_it_is_never_called()
    {
        var pickle = new PickleBuilder().Proto().Op(PickleOpcode.EmptyDict)
            .Str("f").Global("builtins", "exec").Op(PickleOpcode.SetItem).Stop().ToArray();

        var error = Read(CheckpointBytes.Zip(("archive/data.pkl", pickle)));

        Assert.Contains("its pickle calls builtins.exec,", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_class_outside_the_allow_list_is_refused_like_torch_load_does()
    {
        // {'args': argparse.Namespace(lr=3), 'model': {...}}: common in training scripts, refused by weights_only too.
        var pickle = new PickleBuilder().Proto().Op(PickleOpcode.EmptyDict)
            .Str("args").Global("argparse", "Namespace").Op(PickleOpcode.EmptyTuple).Op(PickleOpcode.NewObj)
            .Op(PickleOpcode.EmptyDict).Str("lr").Int(3).Op(PickleOpcode.SetItem).Op(PickleOpcode.Build)
            .Op(PickleOpcode.SetItem).Stop().ToArray();

        var error = Read(CheckpointBytes.Zip(("archive/data.pkl", pickle)));

        Assert.Contains("its pickle calls argparse.Namespace,", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hostile_global_in_the_header_of_a_legacy_file_is_refused()
    {
        // The system-info pickle, read before any tensor: replaced by a call.
        var magicAndVersion = CheckpointBytes.LegacyHeader()[..^4];
        var systemInfo = new PickleBuilder().Proto().Global("posix", "system").Str("id").Op(PickleOpcode.Tuple1)
            .Op(PickleOpcode.Reduce).Stop().ToArray();

        var error = Read([.. magicAndVersion, .. systemInfo]);

        Assert.Contains("its pickle calls posix.system,", error.Message, StringComparison.Ordinal);
    }

    private static CheckpointFormatException Read(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        var error = Assert.Throws<CheckpointFormatException>(() => StateDictReader.Read(stream, "evil.pth").Dispose());
        Assert.Equal("evil.pth", error.FilePath);
        return error;
    }
}
