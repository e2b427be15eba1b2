using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Security.Cryptography;
using Koans.Testing;
using Koans.Testing.Chain;
using Nethereum.ABI;
using Nethereum.Hex.HexTypes;
using Nethereum.JsonRpc.Client;
using Nethereum.RPC.Eth.DTOs;
using Nethereum.Util;
using Nethereum.Web3;

[assembly: AssemblyFixture(typeof(AnvilFixture))]
// evm_snapshot / evm_revert and evm_increaseTime are chain-wide: one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Koans.Ethereum.TimeAndStorage;

public class StorageAndClockTests(AnvilFixture chain) : ChainTest(chain)
{
    // infra/chain/contracts/TimeLockVault.sol: constructor(uint256 lockSeconds, bytes32 secret_) payable;
    // storage (artifact storageLayout): slot 0 owner, slot 1 unlockTime, slot 2 secret (private).
    private static readonly ContractArtifact Vault = ContractArtifact.Load("TimeLockVault");

    // infra/chain/contracts/KoansToken.sol: constructor(string, string, uint256); balanceOf is a mapping at slot 3.
    private static readonly ContractArtifact Token = ContractArtifact.Load("KoansToken");

    private const long LockSeconds = 3600;
    private static readonly BigInteger Deposit = BigInteger.Pow(10, 18);

    // Moves the clock and needs snapshots: skipped (with the reason) on KOANS_CHAIN=rpc.
    protected override bool RequiresCheats => true;

    private Web3 As(string key) => new(new Nethereum.Web3.Accounts.Account(key, AnvilAccounts.ChainId), Chain.RpcUrl.ToString());

    private Web3 OwnerWeb3 => As(OwnerKey);

    private StorageAndClock Subject => new(OwnerWeb3);

    private string OwnerKey => Chain.PrivateKeys[0];

    private string Owner => new Nethereum.Web3.Accounts.Account(OwnerKey).Address;

    private static string Selector(string signature) => "0x" + Sha3Keccack.Current.CalculateHash(signature)[..8];

    private async Task<BigInteger> BalanceAsync(string address) => (await OwnerWeb3.Eth.GetBalance.SendRequestAsync(address)).Value;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // ---- Setup helpers (provided), on Nethereum through the artifacts' ABI JSON. ----

    private async Task<(string Address, TransactionReceipt Receipt)> DeployVaultAsync(byte[] secret)
    {
        var receipt = await OwnerWeb3.Eth.DeployContract.SendRequestAndWaitForReceiptAsync(
            Vault.Abi.GetRawText(), "0x" + Convert.ToHexStringLower(Vault.Bytecode), Owner, new HexBigInteger(1_000_000), new HexBigInteger(Deposit), Ct,
            new BigInteger(LockSeconds), secret);
        receipt.Status.Value.Should().Be(BigInteger.One, "the vault's constructor only stores its arguments");
        return (receipt.ContractAddress, receipt);
    }

    private Task<T> ViewAsync<T>(string contract, ContractArtifact artifact, string function) =>
        OwnerWeb3.Eth.GetContract(artifact.Abi.GetRawText(), contract).GetFunction(function).CallAsync<T>();

    private async Task<BigInteger> BlockTimestampAsync(HexBigInteger blockNumber) =>
        (await OwnerWeb3.Eth.Blocks.GetBlockWithTransactionsHashesByNumber.SendRequestAsync(new BlockParameter(blockNumber))).Timestamp.Value;

    [Fact]
    public async Task The_private_secret_is_read_from_its_storage_slot_by_anyone()
    {
        var secret = RandomNumberGenerator.GetBytes(32);
        var (vault, _) = await DeployVaultAsync(secret);

        var slot = StorageAndClock.SlotOf(Vault.StorageLayout, "secret");
        var word = await Subject.ReadSlotAsync(vault, slot, Ct);

        slot.Should().Be(new BigInteger(2), "TimeLockVault's storageLayout puts secret after owner (slot 0) and unlockTime (slot 1)");
        word.Should().Equal(secret,
            "`bytes32 private secret` only hides it from other contracts' Solidity: every node stores it in the clear and eth_getStorageAt hands it to anyone");
    }

    [Fact]
    public async Task The_owner_and_the_unlock_time_decode_from_their_words()
    {
        var (vault, receipt) = await DeployVaultAsync(RandomNumberGenerator.GetBytes(32));
        var subject = Subject;

        var owner = StorageAndClock.WordToAddress(await subject.ReadSlotAsync(vault, StorageAndClock.SlotOf(Vault.StorageLayout, "owner"), Ct));
        var unlockTime = StorageAndClock.WordToUInt256(await subject.ReadSlotAsync(vault, StorageAndClock.SlotOf(Vault.StorageLayout, "unlockTime"), Ct));

        owner.Should().Be(Owner.ToLowerInvariant(), "an address is the last 20 bytes of its 32-byte word, and the constructor stored msg.sender");
        unlockTime.Should().Be(await ViewAsync<BigInteger>(vault, Vault, "unlockTime"), "the storage word and the public getter read the same slot");
        unlockTime.Should().Be(await BlockTimestampAsync(receipt.BlockNumber) + LockSeconds, "the constructor set unlockTime = block.timestamp + lockSeconds");
    }

    [Fact]
    public async Task A_mapping_entry_lives_at_keccak_of_the_padded_key_and_the_mapping_slot()
    {
        var token = (await OwnerWeb3.Eth.DeployContract.SendRequestAndWaitForReceiptAsync(
            Token.Abi.GetRawText(), "0x" + Convert.ToHexStringLower(Token.Bytecode), Owner, new HexBigInteger(3_000_000), Ct,
            "Koans Token", "KOAN", BigInteger.Pow(10, 24))).ContractAddress;
        var holder = "0x" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        await OwnerWeb3.Eth.GetContract(Token.Abi.GetRawText(), token).GetFunction("transfer")
            .SendTransactionAndWaitForReceiptAsync(Owner, new HexBigInteger(200_000), null, Ct, holder, new BigInteger(12345));

        var mappingSlot = StorageAndClock.SlotOf(Token.StorageLayout, "balanceOf");
        var entrySlot = StorageAndClock.MappingSlot(holder, mappingSlot);
        var subject = Subject;

        mappingSlot.Should().Be(new BigInteger(3), "KoansToken declares name, symbol, totalSupply, then balanceOf (decimals is a constant: no slot)");
        entrySlot.Should().Be(new BigInteger(Sha3Keccack.Current.CalculateHash(new ABIEncode().GetABIEncoded(new ABIValue("address", holder), new ABIValue("uint256", mappingSlot))), isUnsigned: true, isBigEndian: true),
            "Solidity docs, 'Mappings and Dynamic Arrays': the value for key k is at keccak256(h(k) . p)");
        StorageAndClock.WordToUInt256(await subject.ReadSlotAsync(token, entrySlot, Ct)).Should().Be(new BigInteger(12345),
            "that slot holds balanceOf[holder], the 12345 base units just transferred");
        StorageAndClock.WordToUInt256(await subject.ReadSlotAsync(token, mappingSlot, Ct)).Should().Be(BigInteger.Zero,
            "the mapping's own slot only seeds the hash: it stays empty");
    }

    [Fact]
    public async Task Withdrawing_before_the_unlock_time_fails_with_the_decoded_StillLocked_error()
    {
        var (vault, _) = await DeployVaultAsync(RandomNumberGenerator.GetBytes(32));
        var unlockTime = await ViewAsync<BigInteger>(vault, Vault, "unlockTime");

        var act = () => Subject.WithdrawAsync(vault, Ct);

        var locked = (await act.Should().ThrowAsync<StillLockedException>(
            "the gas estimate runs withdraw(), which reverts with StillLocked(block.timestamp, unlockTime); its data is the selector 0x41344244 and two words")).Which;
        locked.UnlockTime.Should().Be(unlockTime, "the second argument of StillLocked is the vault's unlockTime");
        locked.CurrentTime.Should().BeLessThan(unlockTime, "the first argument is the block time the withdrawal was tried at");
        locked.Message.Should().Contain($"{unlockTime - locked.CurrentTime} s to go", "the exception (provided) tells the caller how long the lock still has");
        (await BalanceAsync(vault)).Should().Be(Deposit, "nothing left the vault");
    }

    [Fact]
    public async Task After_moving_the_clock_past_the_unlock_time_the_owner_withdraws_the_deposit()
    {
        var (vault, _) = await DeployVaultAsync(RandomNumberGenerator.GetBytes(32));
        var unlockTime = await ViewAsync<BigInteger>(vault, Vault, "unlockTime");
        var subject = Subject;

        var now = await subject.AdvanceTimeAsync(LockSeconds, Ct);

        ((BigInteger)now).Should().BeGreaterThanOrEqualTo(unlockTime, "evm_increaseTime shifted the clock by the lock period and evm_mine made a block with the new time");
        (await ViewAsync<bool>(vault, Vault, "isUnlocked")).Should().BeTrue("isUnlocked() is block.timestamp >= unlockTime");

        var before = await BalanceAsync(Owner);
        var receipt = await subject.WithdrawAsync(vault, Ct);

        receipt.Status.Value.Should().Be(BigInteger.One);
        (await BalanceAsync(vault)).Should().Be(BigInteger.Zero, "withdraw() sends the whole balance");
        (await BalanceAsync(Owner)).Should().Be(before + Deposit - (receipt.GasUsed.Value * receipt.EffectiveGasPrice.Value),
            "the owner receives the deposit and pays gasUsed * effectiveGasPrice for the withdrawal, to the wei");
    }

    [Fact]
    public async Task A_negative_time_delta_is_rejected_before_reaching_the_node()
    {
        var subject = Subject;
        var block = (await OwnerWeb3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;

        var act = () => subject.AdvanceTimeAsync(-60, Ct);

        await act.Should().ThrowAsync<ArgumentOutOfRangeException>("block timestamps never decrease; a lock cannot be re-locked by winding the clock back");
        (await OwnerWeb3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value.Should().Be(block, "nothing was mined");
    }

    [Fact]
    public void An_unknown_variable_name_is_rejected_rather_than_guessed()
    {
        var act = () => StorageAndClock.SlotOf(Vault.StorageLayout, "password");

        act.Should().Throw<ArgumentException>("TimeLockVault has no variable 'password'; a guessed slot would read another variable's bytes and look valid")
            .WithMessage("*password*");
    }

    [Fact]
    public async Task A_slot_outside_256_bits_is_rejected_before_any_request()
    {
        var (vault, _) = await DeployVaultAsync(RandomNumberGenerator.GetBytes(32));
        var subject = Subject;

        var negative = () => subject.ReadSlotAsync(vault, BigInteger.MinusOne, Ct);
        var tooLarge = () => subject.ReadSlotAsync(vault, BigInteger.One << 256, Ct);

        await negative.Should().ThrowAsync<ArgumentOutOfRangeException>("slots are uint256: there is no slot -1");
        await tooLarge.Should().ThrowAsync<ArgumentOutOfRangeException>("slots are uint256: 2^256 does not fit");
    }

    [Fact]
    public async Task A_stranger_cannot_withdraw_even_after_the_unlock_time()
    {
        var (vault, _) = await DeployVaultAsync(RandomNumberGenerator.GetBytes(32));
        await Subject.AdvanceTimeAsync(LockSeconds, Ct);
        var stranger = new StorageAndClock(As(Chain.PrivateKeys[1]));

        var act = () => stranger.WithdrawAsync(vault, Ct);

        var refused = (await act.Should().ThrowAsync<RpcResponseException>("the lock is open, but withdraw() reverts with NotOwner(msg.sender) for anyone but the owner")).Which;
        refused.RpcError.GetDataAsString().Should().StartWith(Selector("NotOwner(address)"),
            "the revert data starts with the selector of NotOwner(address), not StillLocked");
        (await BalanceAsync(vault)).Should().Be(Deposit);
    }

    // ---- Offline: slots, keys and words (no chain needed). ----

    [Fact]
    public void A_slot_beyond_64_bits_is_read_whole_from_its_decimal_string()
    {
        // OpenZeppelin's ERC20Upgradeable keeps its variables at the ERC-7201 namespace slot
        // ERC20StorageLocation = 0x52c63247e1f47db19d5ce0460030c497f067ca4cebf71ba98eeadabe20bace00
        // (contracts-upgradeable/contracts/token/ERC20/ERC20Upgradeable.sol); solc 0.8.29's "layout at" moves a whole
        // contract's layout to such a slot, and storageLayout then writes it in decimal, as below.
        using var layout = JsonDocument.Parse("""
            {"storage": [
              {"label": "owner", "slot": "0", "offset": 0, "type": "t_address"},
              {"label": "_balances", "slot": "37439836327923360225337895871394760624280537466773280374265222508165906222592", "offset": 0, "type": "t_mapping"},
              {"label": "last", "slot": "115792089237316195423570985008687907853269984665640564039457584007913129639935", "offset": 0, "type": "t_uint256"}
            ], "types": {}}
            """);

        StorageAndClock.SlotOf(layout.RootElement, "_balances").Should().Be(
            BigInteger.Parse("052c63247e1f47db19d5ce0460030c497f067ca4cebf71ba98eeadabe20bace00", NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            "a slot is a uint256: parse the whole decimal string, an int or a long cannot hold it");
        StorageAndClock.SlotOf(layout.RootElement, "last").Should().Be((BigInteger.One << 256) - 1, "the last slot, 2^256 - 1, is a valid slot");
        StorageAndClock.SlotOf(layout.RootElement, "owner").Should().Be(BigInteger.Zero);
    }

    [Fact]
    public void A_null_variable_name_is_refused_by_name()
    {
        var act = () => StorageAndClock.SlotOf(Vault.StorageLayout, null!);

        act.Should().Throw<ArgumentNullException>("there is no variable without a name: say so, rather than 'no variable named \"\"'")
            .WithParameterName("label");
    }

    [Fact]
    public void Words_decode_big_endian_and_unsigned()
    {
        var one = new byte[32];
        one[31] = 1;
        var top = new byte[32];
        top[0] = 0x80;
        var all = Enumerable.Repeat((byte)0xff, 32).ToArray();

        StorageAndClock.WordToUInt256(one).Should().Be(BigInteger.One, "the last byte is the least significant: storage words are big-endian");
        StorageAndClock.WordToUInt256(top).Should().Be(BigInteger.One << 255, "0x80 in the first byte is 2^255, not a negative number: uint256 has no sign bit");
        StorageAndClock.WordToUInt256(all).Should().Be((BigInteger.One << 256) - 1, "32 bytes of 0xff is type(uint256).max");
    }

    [Fact]
    public void An_address_is_the_last_20_bytes_of_its_word_whatever_the_first_12_hold()
    {
        // In a packed slot the 12 bytes before an address belong to the variables declared after it.
        byte[] word = [.. Enumerable.Repeat((byte)0xee, 12), .. Convert.FromHexString("5B38Da6a701c568545dCfcB03FcB875f56beddC4")];

        StorageAndClock.WordToAddress(word).Should().Be("0x5b38da6a701c568545dcfcb03fcb875f56beddc4",
            "an address is right-aligned: skip exactly 12 bytes, keep 20, and write them as 0x and lowercase hex");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(20)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void A_word_that_is_not_32_bytes_is_rejected_by_both_decoders(int length)
    {
        var word = new byte[length];

        FluentActions.Invoking(() => StorageAndClock.WordToUInt256(word)).Should().Throw<ArgumentException>(
            "eth_getStorageAt returns exactly 32 bytes; {0} bytes is a caller's bug, not a number", length).WithParameterName("word");
        FluentActions.Invoking(() => StorageAndClock.WordToAddress(word)).Should().Throw<ArgumentException>(
            "an address word is 32 bytes too: 20 bytes of address right-aligned").WithParameterName("word");
    }

    [Fact]
    public void A_null_word_is_refused_by_name()
    {
        FluentActions.Invoking(() => StorageAndClock.WordToUInt256(null!)).Should().Throw<ArgumentNullException>().WithParameterName("word");
        FluentActions.Invoking(() => StorageAndClock.WordToAddress(null!)).Should().Throw<ArgumentNullException>().WithParameterName("word");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0x5b38da6a701c568545dcfcb03fcb875f56beddc")]
    [InlineData("0x5b38da6a701c568545dcfcb03fcb875f56beddc4a")]
    [InlineData("005b38da6a701c568545dcfcb03fcb875f56beddc4")]
    [InlineData("0X5b38da6a701c568545dcfcb03fcb875f56beddc4")]
    [InlineData("0x5b38da6a701c568545dcfcb03fcb875f56beddcg")]
    [InlineData("0xg5b38da6a701c568545dcfcb03fcb875f56beddc")]
    public void A_mapping_key_that_is_not_an_address_is_rejected(string? key)
    {
        var act = () => StorageAndClock.MappingSlot(key!, 3);

        act.Should().Throw<ArgumentException>("'{0}' is not 0x and 40 hex digits: hashing it would give the slot of some other key, silently", key)
            .WithParameterName("key");
    }

    [Fact]
    public void A_checksummed_key_finds_the_same_slot_as_its_lowercase_spelling()
    {
        const string Checksummed = "0x5B38Da6a701c568545dCfcB03FcB875f56beddC4";

        StorageAndClock.MappingSlot(Checksummed, 3).Should().Be(StorageAndClock.MappingSlot(Checksummed.ToLowerInvariant(), 3),
            "EIP-55 capitals are a checksum on the spelling, not part of the 20 bytes that are hashed");
    }

    [Fact]
    public void A_mapping_slot_outside_256_bits_is_rejected_and_the_last_one_is_not()
    {
        const string Key = "0x5b38da6a701c568545dcfcb03fcb875f56beddc4";
        var last = (BigInteger.One << 256) - 1;

        FluentActions.Invoking(() => StorageAndClock.MappingSlot(Key, BigInteger.MinusOne)).Should().Throw<ArgumentOutOfRangeException>("there is no slot -1")
            .WithParameterName("mappingSlot");
        FluentActions.Invoking(() => StorageAndClock.MappingSlot(Key, BigInteger.One << 256)).Should().Throw<ArgumentOutOfRangeException>("2^256 does not fit in a 32-byte word")
            .WithParameterName("mappingSlot");
        StorageAndClock.MappingSlot(Key, last).Should().Be(
            new BigInteger(Sha3Keccack.Current.CalculateHash(new ABIEncode().GetABIEncoded(new ABIValue("address", Key), new ABIValue("uint256", last))), isUnsigned: true, isBigEndian: true),
            "2^256 - 1 is the last slot, and a valid place to declare a mapping");
    }

    // ---- Online edges. ----

    [Fact]
    public async Task The_last_slot_is_readable_and_an_unwritten_slot_reads_as_32_zero_bytes()
    {
        var (vault, _) = await DeployVaultAsync(RandomNumberGenerator.GetBytes(32));

        var word = await Subject.ReadSlotAsync(vault, (BigInteger.One << 256) - 1, Ct);

        word.Should().Equal(new byte[32], "2^256 - 1 is a valid slot, and every slot nobody wrote holds zero");
    }

    [Fact]
    public async Task A_cancelled_read_or_clock_move_stops_before_any_request()
    {
        var (vault, _) = await DeployVaultAsync(RandomNumberGenerator.GetBytes(32));
        var subject = Subject;
        var block = (await OwnerWeb3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value;

        var read = () => subject.ReadSlotAsync(vault, 2, new CancellationToken(canceled: true));
        var advance = () => subject.AdvanceTimeAsync(LockSeconds, new CancellationToken(canceled: true));

        await read.Should().ThrowAsync<OperationCanceledException>("the caller gave up before the read began");
        await advance.Should().ThrowAsync<OperationCanceledException>("the caller gave up before the clock moved");
        (await OwnerWeb3.Eth.Blocks.GetBlockNumber.SendRequestAsync()).Value.Should().Be(block, "a cancelled clock move mines no block");
        (await ViewAsync<bool>(vault, Vault, "isUnlocked")).Should().BeFalse("and leaves the time where it was");
    }

    [Fact]
    public async Task No_method_resumes_on_the_caller_s_synchronization_context()
    {
        var (vault, _) = await DeployVaultAsync(RandomNumberGenerator.GetBytes(32));
        var subject = Subject;
        var context = new CallerContext();

        await context.Run(() => subject.ReadSlotAsync(vault, 2, Ct));
        var locked = () => context.Run(() => subject.WithdrawAsync(vault, Ct));
        await locked.Should().ThrowAsync<StillLockedException>();
        await context.Run(() => subject.AdvanceTimeAsync(LockSeconds, Ct));
        await context.Run(() => subject.WithdrawAsync(vault, Ct));

        context.Posts.Should().Be(0,
            "this is library code: after each request it must not come back to the caller's context (a UI thread), where the hop queues behind the UI and a caller that blocks on the task deadlocks");
    }
}
