namespace Koans.Metaprogramming.SyntaxTrees;

public class AsyncSmellFinderTests
{
    private const string AsyncVoidSource = """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;

        public class Handlers
        {
            public async void Fire() { await Task.Yield(); }
            public async Task Fine() { await Task.Yield(); }
            private async void OnClick(object sender, EventArgs e) { await Task.Yield(); }
            private async void OnSaved(object? sender, SavedEventArgs e) { await Task.Yield(); }
            public void Outer()
            {
                async void Local() { await Task.Yield(); }
                new List<int>().ForEach(async item => await Task.Delay(item));
                Func<Task> fine = async () => await Task.Yield();
                Action alsoBad = async delegate { await Task.Yield(); };
                Local();
            }
        }

        public class SavedEventArgs : EventArgs { }
        """;

    private const string BlockingSource = """
        using System.Threading;
        using System.Threading.Tasks;

        public class Blocking
        {
            public int Read(Task<int> task, ValueTask<string> pending, Outcome outcome)
            {
                // never write task.Result in a UI thread
                var text = "task.Result and task.Wait()";
                var a = task.Result;
                var b = pending.Result.Length;
                task.Wait();
                task.Wait(100);
                Task.WaitAll(task);
        	var c = task.GetAwaiter().GetResult();
                outcome.Wait();
                return a + b + c + outcome.Result;
            }
        }

        public class Outcome
        {
            public int Result => 1;
            public void Wait() { }
        }

        namespace Lookalikes
        {
            // Named like the real ones, in another namespace: the name alone proves nothing.
            public class Task { public int Result => 1; public void Wait() { } }
            public class TaskAwaiter { public int GetResult() => 1; }
            public class Job { public int GetResult() => 1; }

            public class Uses
            {
                public int Run(Task task, TaskAwaiter awaiter, Job job)
                {
                    task.Wait();
                    return task.Result + awaiter.GetResult() + job.GetResult();
                }
            }
        }
        """;

    [Fact]
    public void Async_void_methods_local_functions_and_lambdas_are_found_at_their_exact_locations()
    {
        AsyncSmellFinder.Find(AsyncVoidSource).Should().Equal(
            [
                new AsyncFinding(AsyncRules.AsyncVoid, 7, 23),  // Fire: its name
                new AsyncFinding(AsyncRules.AsyncVoid, 13, 20), // Local: its name
                new AsyncFinding(AsyncRules.AsyncVoid, 14, 33), // the async keyword of the lambda given to ForEach(Action<int>)
                new AsyncFinding(AsyncRules.AsyncVoid, 16, 26), // the async keyword of the anonymous method
            ],
            "1-based lines and columns, at the method's name or the lambda's async keyword; event handlers (OnClick, " +
            "OnSaved with an EventArgs subclass) and the lambda converted to Func<Task> are fine");
    }

    [Fact]
    public void An_async_void_method_shaped_like_a_handler_without_EventArgs_is_still_found()
    {
        const string source = """
            using System;
            using System.Threading.Tasks;
            public class Form
            {
                public async void OnText(object sender, string text) { await Task.Yield(); }
            }
            """;

        AsyncSmellFinder.Find(source).Should().Equal([new AsyncFinding(AsyncRules.AsyncVoid, 5, 23)],
            "(object, string) is not an event handler's signature: the second parameter must be EventArgs or derive " +
            "from it, so walk its base types and answer no when the chain ends without EventArgs");
    }

    [Fact]
    public void Blocking_calls_on_tasks_are_found_and_lookalikes_are_not()
    {
        AsyncSmellFinder.Find(BlockingSource).Should().Equal(
            [
                new AsyncFinding(AsyncRules.BlockingResult, 10, 22), // task.Result
                new AsyncFinding(AsyncRules.BlockingResult, 11, 25), // pending.Result (ValueTask<string>)
                new AsyncFinding(AsyncRules.BlockingWait, 12, 14),   // task.Wait()
                new AsyncFinding(AsyncRules.BlockingWait, 13, 14),   // task.Wait(100)
                new AsyncFinding(AsyncRules.BlockingWait, 14, 14),   // Task.WaitAll
                new AsyncFinding(AsyncRules.BlockingWait, 15, 28),   // GetResult(), on a tab-indented line: a tab is one column
            ],
            "only members of tasks block: the comment and the string mention .Result as text, and Outcome.Result / " +
            "Outcome.Wait() are an ordinary property and method; Lookalikes.Task, a TaskAwaiter outside " +
            "System.Runtime.CompilerServices and a GetResult of another type only share a name: telling them apart " +
            "needs the semantic model, and both the namespace and the name");
    }

    [Fact]
    public void Columns_and_lines_are_one_based()
    {
        AsyncSmellFinder.Find("class C { async void M() { } }").Should().Equal(
            [new AsyncFinding(AsyncRules.AsyncVoid, 1, 22)],
            "M is the 22nd character of the first line; Roslyn's LinePosition counts from 0");
    }

    [Fact]
    public void Source_that_does_not_compile_is_still_scanned()
    {
        const string broken = "using System.Threading.Tasks;\nclass C { int M(Task<int> t) { return t.Result } async void N() { }";
        AsyncSmellFinder.Find(broken).Should().Equal(
            [new AsyncFinding(AsyncRules.BlockingResult, 2, 41), new AsyncFinding(AsyncRules.AsyncVoid, 2, 61)],
            "a missing semicolon and brace do not stop Roslyn from building a tree and binding what it can");
    }

    [Fact]
    public void Clean_code_has_no_findings()
    {
        const string clean = """
            using System.Threading.Tasks;
            class C
            {
                async Task<int> M(Task<int> t) => await t;
                async ValueTask N(Task t) { await t; await t.ConfigureAwait(false); }
            }
            """;
        AsyncSmellFinder.Find(clean).Should().BeEmpty("awaiting is what these rules ask for");
    }

    [Fact]
    public void A_null_source_is_an_ArgumentNullException()
    {
        var find = () => AsyncSmellFinder.Find(null!);
        find.Should().Throw<ArgumentNullException>("the error names the caller's argument, not a parser's")
            .WithParameterName("source");
    }
}
