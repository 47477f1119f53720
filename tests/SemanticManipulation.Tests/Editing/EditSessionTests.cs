using SemanticManipulation.Editing;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace SemanticManipulation.Tests.Editing;

public sealed class EditSessionTests
{
    private static readonly FeatureShape Shape = new(4, 8, 8);

    [Fact]
    public void Undo_and_redo_restore_exactly_the_same_tensors()
    {
        using var scope = NewDisposeScope();
        var r = randn([1, 4, 8, 8], generator: new TorchSharp.torch.Generator(0, CPU).manual_seed(1));
        var session = new EditSession(Shape, 32);
        var results = new List<Tensor> { session.Apply(r) };
        foreach (var stroke in Strokes())
        {
            session.Push(stroke);
            results.Add(session.Apply(r));
        }

        Assert.True(results[0].eq(r).all().item<bool>());
        Assert.False(results[3].eq(results[2]).all().item<bool>());

        Assert.True(session.Undo());
        Assert.True(session.Undo());
        Assert.Equal(1, session.Count);
        Assert.True(session.Apply(r).eq(results[1]).all().item<bool>());
        Assert.True(session.Redo());
        Assert.True(session.Apply(r).eq(results[2]).all().item<bool>());
        Assert.True(session.Redo());
        Assert.False(session.Redo());
        Assert.True(session.Apply(r).eq(results[3]).all().item<bool>());
        for (var prefix = 0; prefix <= 3; prefix++)
        {
            Assert.True(session.Apply(r, prefix).eq(results[prefix]).all().item<bool>(), $"prefix {prefix}");
        }

        while (session.Undo())
        {
        }

        Assert.True(session.Apply(r).eq(r).all().item<bool>());
        Assert.False(session.Undo());
    }

    [Fact]
    public void A_new_stroke_discards_the_redo_stack_and_reset_discards_everything()
    {
        var session = new EditSession(Shape, 32);
        var changes = 0;
        session.Changed += (_, _) => changes++;
        var strokes = Strokes();
        session.Push(strokes[0]);
        session.Push(strokes[1]);
        session.Undo();
        Assert.True(session.CanRedo);

        session.Push(strokes[2]);

        Assert.False(session.CanRedo);
        Assert.Equal(new[] { strokes[0], strokes[2] }, session.Strokes);
        session.Reset();
        Assert.Equal(0, session.Count);
        Assert.False(session.CanUndo || session.CanRedo);
        Assert.Equal(5, changes);
    }

    [Fact]
    public void The_session_round_trips_through_json_with_its_redo_stack()
    {
        using var scope = NewDisposeScope();
        using var directory = Fixture.TempDirectory();
        var r = randn([1, 4, 8, 8], generator: new TorchSharp.torch.Generator(0, CPU).manual_seed(2));
        var session = new EditSession(Shape, 32);
        foreach (var stroke in Strokes())
        {
            session.Push(stroke);
        }

        session.Undo();
        var path = directory.File("session.json");
        session.Save(path);

        var restored = EditSession.Load(path);

        Assert.Equal(2, restored.Count);
        Assert.True(restored.CanRedo);
        Assert.True(restored.Apply(r).eq(session.Apply(r)).all().item<bool>());
        Assert.True(restored.EditMask()!.eq(session.EditMask()!).all().item<bool>());
        restored.Redo();
        session.Redo();
        Assert.True(restored.Apply(r).eq(session.Apply(r)).all().item<bool>());
        var original = session.Strokes[2];
        var copy = restored.Strokes[2];
        Assert.Equal(original.Operator, copy.Operator);
        Assert.Equal(original.Concept, copy.Concept);
        Assert.Equal(original.Units, copy.Units);
        Assert.Equal(original.Values, copy.Values);
        Assert.Equal(original.Strength, copy.Strength);
        Assert.Equal(original.Notes, copy.Notes);
        Assert.True(original.Mask.Values.Span.SequenceEqual(copy.Mask.Values.Span));
        // Masks are stored compressed: a session of full-resolution masks stays small.
        Assert.True(new FileInfo(path).Length < 8_000, $"{new FileInfo(path).Length} bytes");
    }

    [Fact]
    public void The_edit_mask_is_the_union_of_the_applied_strokes()
    {
        using var scope = NewDisposeScope();
        var session = new EditSession(Shape, 32);
        Assert.Null(session.EditMask());
        var strokes = Strokes();
        session.Push(strokes[0]);
        session.Push(strokes[1]);

        var union = session.EditMask()!;

        var expected = maximum(strokes[0].Mask.ToTensor(), strokes[1].Mask.ToTensor());
        Assert.True(union.eq(expected).all().item<bool>());
        Assert.True(session.EditMask(1)!.eq(strokes[0].Mask.ToTensor()).all().item<bool>());
    }

    [Fact]
    public void Bad_sessions_and_strokes_are_refused_with_the_reason()
    {
        var session = new EditSession(Shape, 32);
        var small = new EditStroke("test", StrokeMask.FromValues(16, Enumerable.Repeat(1f, 256).ToArray()), [0], [1f]);
        Assert.Contains("16×16", Assert.Throws<ArgumentException>(() => session.Push(small)).Message, StringComparison.Ordinal);
        var wide = new EditStroke("test", Strokes()[0].Mask, [9], [1f]);
        Assert.Contains("units 9", Assert.Throws<ArgumentException>(() => session.Push(wide)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => session.Apply(zeros(1, 4, 8, 8), strokeCount: 1));

        Assert.Throws<InvalidDataException>(() => EditSession.FromJson("{\"format\": \"something else\"}"));
        var json = new EditSession(Shape, 32).ToJson().Replace("\"applied\": 0", "\"applied\": 3", StringComparison.Ordinal);
        Assert.Contains("3 strokes", Assert.Throws<InvalidDataException>(() => EditSession.FromJson(json)).Message, StringComparison.Ordinal);
    }

    /// <summary>Three overlapping strokes: an add-like, a soft remove-like and a restyle-like one.</summary>
    private static List<EditStroke> Strokes()
    {
        using var scope = NewDisposeScope();
        var square = StrokeMask.FromTensor(SemanticManipulation.Imaging.EditMask.Rectangle(32, 4, 4, 16, 16), 32);
        var disc = StrokeMask.FromTensor(SemanticManipulation.Imaging.EditMask.Circle(32, 20, 20, 8) * 0.7f, 32);
        var band = StrokeMask.FromTensor(SemanticManipulation.Imaging.EditMask.Rectangle(32, 0, 12, 32, 6), 32);
        return
        [
            new EditStroke("add", square, [0, 2], [3.5f, 2.25f], concept: "tree"),
            new EditStroke("remove", disc, [0, 1], [0f, 0f], strength: 0.8f, concept: "tree", notes: ["a note"]),
            new EditStroke("restyle", band, [0, 1, 2, 3], [0.1f, -0.2f, 0.3f, 1.7f], strength: 0.4f),
        ];
    }
}
