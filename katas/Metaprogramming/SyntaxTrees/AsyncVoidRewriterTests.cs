namespace Koans.Metaprogramming.SyntaxTrees;

public class AsyncVoidRewriterTests
{
    [Fact]
    public void Only_the_return_type_changes_and_every_comment_and_space_stays()
    {
        const string source = """
            using System.Threading.Tasks;

            class Worker
            {
                // fire and forget
                public /* keep */ async   void   RunAsync(int x)  // trailing
                {
                    await Task.Yield();
                }

                private async void OnClick(object sender, System.EventArgs e) { await Task.Yield(); }

                public void Sync() { }
            }
            """;

        AsyncVoidRewriter.Rewrite(source).Should().Be(source.Replace("async   void   RunAsync", "async   Task   RunAsync"),
            "the new return type takes over the trivia of 'void' (the three spaces after it); nothing else moves. " +
            "NormalizeWhitespace, or a new token without the old trivia, changes other bytes");
    }

    [Fact]
    public void Line_endings_tabs_regions_and_disabled_code_survive_byte_for_byte()
    {
        const string source = "using System.Threading.Tasks;\r\n#region Workers\r\nclass W\r\n{\r\n\tasync void\tA()\r\n" +
                              "\t{\r\n#if NEVER\r\n\t\tthis is not C# at all\r\n#endif\r\n\t\tawait Task.Yield();\r\n\t}\r\n}\r\n" +
                              "#endregion\r\n";

        AsyncVoidRewriter.Rewrite(source).Should().Be(source.Replace("async void\tA", "async Task\tA"),
            "CRLF, tabs, #region and the disabled #if block are trivia; a rewrite keeps them exactly");
    }

    [Fact]
    public void A_file_with_nothing_to_fix_comes_back_identical()
    {
        const string source = "using System;\nusing System.Threading.Tasks;\nclass C   {\n  void   Sync( ) {   }\n" +
                              "  Action a = async ( ) => await Task.Yield();   // a lambda: not rewritten\n" +
                              "  async void OnLoad(object s, EventArgs e) { await Task.Yield(); }\n}\n";

        AsyncVoidRewriter.Rewrite(source).Should().Be(source,
            "a void method that is not async, a lambda and an event handler are all left as they are, spacing included");
    }

    [Fact]
    public void Nested_local_functions_are_rewritten_too()
    {
        const string source = """
            using System.Threading.Tasks;
            class C
            {
                async void Outer()
                {
                    async void Inner() { await Task.Yield(); }
                    Inner();
                    await Task.Yield();
                }
            }
            """;

        AsyncVoidRewriter.Rewrite(source).Should().Be(source.Replace("async void", "async Task"),
            "the rewriter must visit inside the method it rewrites, or the local function is missed");
    }

    [Fact]
    public void A_local_function_that_is_not_async_void_keeps_its_return_type()
    {
        const string source = """
            using System.Threading.Tasks;
            class C
            {
                async void Outer()
                {
                    void Log() { }
                    async Task Save() { await Task.Yield(); }
                    Log();
                    await Save();
                }
            }
            """;

        AsyncVoidRewriter.Rewrite(source).Should().Be(source.Replace("async void Outer", "async Task Outer"),
            "only async void changes: a plain void local function and an async Task one are left as they are");
    }

    [Fact]
    public void Without_the_using_directive_the_type_is_written_in_full()
    {
        const string source = "class C\n{\n    async void M() { await System.Threading.Tasks.Task.Yield(); }\n}\n";

        AsyncVoidRewriter.Rewrite(source).Should().Be(
            "class C\n{\n    async System.Threading.Tasks.Task M() { await System.Threading.Tasks.Task.Yield(); }\n}\n",
            "a bare 'Task' would not compile in a file that does not import System.Threading.Tasks");
    }

    [Fact]
    public void The_rewritten_file_has_no_async_void_methods_left()
    {
        const string source = """
            using System;
            using System.Threading.Tasks;
            class C
            {
                async void A() { await Task.Yield(); }
                static async void B(int x) { await Task.Delay(x); }
                async void OnTick(object? sender, EventArgs e) { await Task.Yield(); }
            }
            """;

        AsyncSmellFinder.Find(AsyncVoidRewriter.Rewrite(source)).Should().BeEmpty(
            "both methods now return Task, and the event handler was never a finding");
    }

    [Fact]
    public void A_null_source_is_an_ArgumentNullException()
    {
        var rewrite = () => AsyncVoidRewriter.Rewrite(null!);
        rewrite.Should().Throw<ArgumentNullException>("the error names the caller's argument, not a parser's")
            .WithParameterName("source");
    }
}
