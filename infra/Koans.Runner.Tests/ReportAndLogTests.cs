namespace Koans.Runner.Tests;

public class ReportAndLogTests
{
    private const string Report = """
        <assemblies schema-version="3"><assembly name="k.dll"><collection>
        <test name="Koans.Demo.StubTests.Answer_is_42" method="Answer_is_42" result="Fail" source-file="/r/katas/Demo/K/StubTests.cs" source-line="7">
          <failure exception-type="System.NotImplementedException">
            <message><![CDATA[System.NotImplementedException : The method or operation is not implemented.]]></message>
            <stack-trace><![CDATA[   at Demo.Stub.Answer() in /r/katas/Demo/K/Stub.cs:line 3
           at Demo.StubTests.Answer_is_42() in /r/katas/Demo/K/StubTests.cs:line 9
           at System.Reflection.MethodBaseInvoker.InterpretedInvoke_Method(Object obj, IntPtr* args)]]></stack-trace>
          </failure>
        </test>
        <test name="Koans.Demo.StubTests.Bad_input_is_rejected" method="Bad_input_is_rejected" result="Fail" source-file="/r/katas/Demo/K/StubTests.cs" source-line="12">
          <failure exception-type="Xunit.Sdk.XunitException">
            <message><![CDATA[Expected a <System.FormatException> to be thrown, but found <System.NotImplementedException>: ...]]></message>
            <stack-trace><![CDATA[   at FluentAssertions.Execution.LateBoundTestFramework.Throw(String message)
           at Demo.StubTests.Bad_input_is_rejected() in /r/katas/Demo/K/StubTests.cs:line 14]]></stack-trace>
          </failure>
        </test>
        <test name="Koans.Demo.StubTests.Wrong_answer" method="Wrong_answer" result="Fail">
          <failure exception-type="Xunit.Sdk.XunitException"><message><![CDATA[Expected value to be 42, but found 41.]]></message></failure>
        </test>
        <test name="Koans.Demo.StubTests.Passes" method="Passes" result="Pass" />
        <test name="Koans.Demo.StubTests.Needs_a_chain" method="Needs_a_chain" result="Skip"><reason><![CDATA[No chain: cd infra/chain && npm ci]]></reason></test>
        </collection></assembly></assemblies>
        """;

    [Fact]
    public void The_xunit_report_is_read_test_by_test()
    {
        var tests = XunitReport.Parse(Report);

        tests.Select(t => t.Status).Should().Equal(TestStatus.Failed, TestStatus.Failed, TestStatus.Failed, TestStatus.Passed, TestStatus.Skipped);
        tests[0].DisplayName.Should().Be("Answer is 42", "test names are sentences: underscores read as spaces");
        tests[4].SkipReason.Should().Contain("npm ci");
    }

    [Fact]
    public void A_stub_failure_counts_when_thrown_directly_or_reported_by_FluentAssertions()
    {
        var tests = XunitReport.Parse(Report);

        tests[0].FailedBecauseNotImplemented.Should().BeTrue("the stub itself threw");
        tests[1].FailedBecauseNotImplemented.Should().BeTrue("FluentAssertions names the NotImplementedException it caught");
        tests[2].FailedBecauseNotImplemented.Should().BeFalse("a wrong value is not a missing implementation");
        tests[3].FailedBecauseNotImplemented.Should().BeFalse("a passing test did not fail at all");
    }

    [Fact]
    public void The_place_to_look_is_the_learners_own_file_not_the_framework()
    {
        var tests = XunitReport.Parse(Report);

        XunitReport.LearnerLocation(tests[0], "/r/katas/Demo/K")!.Display("/r").Should().Be("katas/Demo/K/Stub.cs:3");
        XunitReport.LearnerLocation(tests[1], "/r/katas/Demo/K")!.Display("/r").Should().Be("katas/Demo/K/StubTests.cs:14",
            "with no frame in the stub, the test line that failed is the next best place");
    }

    [Fact]
    public void Compiler_errors_are_read_with_file_line_and_project()
    {
        const string log = """
            /r/katas/Demo/K/Stub.cs(3,47): error CS1002: ; expected [/r/katas/Demo/K/K.csproj::TargetFramework=net10.0]
            /r/katas/Demo/K/Stub.cs(4,1): warning CS0168: unused [/r/katas/Demo/K/K.csproj]
            Stub.cs(9,2): error CS0103: The name 'x' does not exist in the current context
            Build FAILED.
            """;

        var errors = BuildLog.Errors(log);

        errors.Should().HaveCount(2, "warnings and summary lines are not errors");
        errors[0].Should().BeEquivalentTo(new { File = "/r/katas/Demo/K/Stub.cs", Line = 3, Column = 47, Code = "CS1002", Text = "; expected", Project = "/r/katas/Demo/K/K.csproj" });
        errors[0].Display("/r").Should().Be("katas/Demo/K/Stub.cs(3,47): error CS1002: ; expected");
        errors[1].Project.Should().BeNull("csc run directly prints no project");
    }

    [Fact]
    public void Data_driven_cases_are_named_with_their_arguments()
    {
        TestNames.Display("Koans.Ethereum.JsonRpc.HexTests.ParseQuantity_reads_compact_hex(hex: \"0x1\", expected: 1)")
            .Should().Be("ParseQuantity reads compact hex (hex: \"0x1\", expected: 1)", "four cases of one theory must read as four tests");
        TestNames.Display("Koans.Demo.StubTests.Answer_is_42").Should().Be("Answer is 42");
    }

    [Theory]
    [InlineData("ChaCha20Poly1305_matches_RFC_8439_section_2_8_2", "ChaCha20Poly1305 matches RFC 8439 section 2.8.2")]
    [InlineData("Sign_matches_RFC_6979_appendix_A_2_5", "Sign matches RFC 6979 appendix A.2.5")]
    [InlineData("SharedSecret_matches_RFC_7748_section_6_1_from_both_sides", "SharedSecret matches RFC 7748 section 6.1 from both sides")]
    [InlineData("Padding_matches_the_FIPS_180_4_example_for_abc", "Padding matches the FIPS 180-4 example for abc")]
    [InlineData("Keccak256_and_Sha3_256_differ_on_the_same_input", "Keccak256 and Sha3-256 differ on the same input")]
    [InlineData("Keccak256_is_not_the_SHA3_256_that_dotnet_ships", "Keccak256 is not the SHA3-256 that dotnet ships")]
    [InlineData("Retries_3_times_then_gives_up_after_2_5_seconds", "Retries 3 times then gives up after 2 5 seconds")]
    public void Citations_in_test_names_get_their_dots_and_hyphens_back(string method, string display) =>
        TestNames.Display("Koans.Demo.StubTests." + method).Should().Be(display,
            "a name spells \"section 2.8.2\" with underscores; the runner shows it as the citation reads, and leaves other numbers alone");

    [Fact]
    public void The_live_output_of_a_stopped_run_gives_the_finished_verdicts_and_the_test_still_running()
    {
        const string output = """
            passed Koans.Demo.Spin.SumsTests.Add_adds (3ms)
            failed Koans.Demo.Spin.SumsTests.Add_subtracts(a: 2) (12ms)
              Expected 4 to be 5.
                at Koans.Demo.Spin.SumsTests.Add_subtracts(Int32 a) in /r/katas/Demo/Spin/SumsTests.cs:7
            [Long Running Test] 'Koans.Demo.Spin.StuckTests.Forever_returns', Elapsed: 00:00:02
            """;

        var (finished, running) = LiveOutput.Parse(output);

        finished.Select(t => (t.DisplayName, t.Status)).Should().Equal(("Add adds", TestStatus.Passed), ("Add subtracts (a: 2)", TestStatus.Failed));
        finished[1].Message.Should().Be("Expected 4 to be 5.");
        XunitReport.LearnerLocation(finished[1], "/r/katas/Demo/Spin")!.Display("/r").Should().Be("katas/Demo/Spin/SumsTests.cs:7");
        running.Should().Equal("Koans.Demo.Spin.StuckTests.Forever_returns");
    }

    [Fact]
    public void Git_blob_ids_match_git_hash_object()
    {
        // `printf '' | git hash-object --stdin` and `echo hello | git hash-object --stdin`
        StubLock.BlobId([]).Should().Be("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
        StubLock.BlobId("hello\n"u8.ToArray()).Should().Be("ce013625030ba8dba906f756967f9e9ca394464a");
    }
}
