import type { RollupSettings } from '../config/coordinator-config';
import type { RollupBucket } from './rollup-bucket';
import { encodeDelta } from './rollup-encoding';
import { retentionOf, TIER_ORDER } from './rollup-tiers';

/**
 * Lua for the round's commit script: `rollupRound(openKey, prefix, at, delta, tiers)` adds one
 * round's rollup (`delta`, JSON, see `rollup-encoding.ts`) to the monitor's history, doing as
 * little as it can per round.
 *
 * Rounds are applied in order (the commit refuses a round not later than the last applied one),
 * so a round falls in the open minute or in a later one. What is still being filled is kept apart,
 * each as a field of the open hash (`openKey`: its start, and for the hour and day the regions of
 * its lines) and a log appended to (`<prefix><field>log`, APPEND: nothing read or parsed per round):
 * - the open minute (`m`): its rounds' deltas, `;`-separated;
 * - the open hour (`h`): its closed minutes, as the lines of the chunk of minutes it will become;
 * - the open day (`d`): its closed hours, as the lines of the chunk of hours it will become.
 * A round in a later minute closes the open one: its deltas are summed into a line of the open
 * hour. A minute of a later hour closes the open hour: its lines are written out as its chunk of
 * minutes and summed into a line of the open day; a later day closes the open day likewise, its
 * sum a line of its 32-day chunk. The open hour and day also keep the running sum of their lines
 * (fields `hs`, `ds`, msgpack), so that closing one reads nothing back. Per round: one HGET and one
 * APPEND; per minute a few commands, the sum of its deltas, a line written and the hour's sum
 * updated; per hour and per day the same once more and a chunk copied out (GET, SET).
 * Readers add what is open to the chunks (`RollupsRepository`).
 *
 * The open hash and its logs live a day retention past the latest minute; a chunk until its end plus its
 * tier's retention (one written past that is deleted as it is written: it would have expired).
 * `tiers` is what {@link rollupTiersLua} reads from ARGV, finest first; a tier's chunk is the next
 * tier's bucket (`rollup-tiers.ts`). Keys are built from `prefix`, which carries the monitor's
 * hash tag: every key is in the slot of the script's other keys.
 */
export const ROLLUP_LUA = `
local function rollupFormat(n) return string.format('%d', n) end

local function rollupAdd(into, from)
  for i = 1, #from.t do into.t[i] = (into.t[i] or 0) + from.t[i] end
  for name, f in pairs(from.r) do
    local r = into.r[name]
    if r == nil then
      into.r[name] = f
    else
      for k = 1, 4 do r.c[k] = r.c[k] + f.c[k] end
      if next(f.h) ~= nil and (next(r.h) == nil or f.c[5] > r.c[5]) then r.c[5] = f.c[5] end
      for index, n in pairs(f.h) do r.h[index] = (r.h[index] or 0) + n end
    end
  end
end

local function rollupNumber(n)
  if n == 0 then return '' end
  return rollupFormat(n)
end

-- A bucket as a line of a chunk; index maps region names to the chunk's numbers.
local function rollupRecord(bucket, index, offset)
  local last = 0
  for i = 1, #bucket.t do if bucket.t[i] ~= 0 then last = i end end
  local totals = {}
  for i = 1, last do totals[i] = rollupNumber(bucket.t[i]) end
  local parts = { rollupFormat(offset) .. ' ' .. table.concat(totals, ',') }
  for name, r in pairs(bucket.r) do
    local items = {}
    for k = 1, 5 do items[k] = rollupNumber(r.c[k]) end
    local indexes = {}
    for key in pairs(r.h) do indexes[#indexes + 1] = tonumber(key) end
    table.sort(indexes)
    -- Runs of consecutive histogram buckets; a gap of up to 2 is cheaper written as empty counts.
    local run, previous = nil, nil
    for _, i in ipairs(indexes) do
      local n = rollupFormat(r.h[rollupFormat(i)])
      if run and i - previous <= 3 then
        for _ = previous + 1, i - 1 do run[#run + 1] = '' end
        run[#run + 1] = n
      else
        if run then items[#items + 1] = table.concat(run, ':') end
        run = { rollupFormat(i), n }
      end
      previous = i
    end
    if run then items[#items + 1] = table.concat(run, ':') end
    parts[#parts + 1] = index[name] .. '=' .. table.concat(items, ',')
  end
  return table.concat(parts, '|')
end

-- A line of a chunk (after its offset) as a bucket; names: the chunk's regions, by number from 1.
local function rollupParseRecord(body, names)
  local bucket = { t = {}, r = {} }
  local first = true
  for part in string.gmatch(body .. '|', '([^|]*)|') do
    if first then
      first = false
      for v in string.gmatch(part .. ',', '([^,]*),') do bucket.t[#bucket.t + 1] = tonumber(v) or 0 end
    else
      local equals = string.find(part, '=', 1, true)
      local region = { c = {}, h = {} }
      local k = 0
      for v in string.gmatch(string.sub(part, equals + 1) .. ',', '([^,]*),') do
        k = k + 1
        if k <= 5 then
          region.c[k] = tonumber(v) or 0
        else
          local index = nil
          for n in string.gmatch(v .. ':', '([^:]*):') do
            if index == nil then
              index = tonumber(n)
            else
              if n ~= '' then
                local key = rollupFormat(index)
                region.h[key] = (region.h[key] or 0) + tonumber(n)
              end
              index = index + 1
            end
          end
        end
      end
      for j = k + 1, 5 do region.c[j] = 0 end
      bucket.r[names[tonumber(string.sub(part, 1, equals - 1)) + 1]] = region
    end
  end
  return bucket
end

-- Adds the regions of bucket that names lacks to names and index; says whether there were any.
local function rollupIndex(bucket, names, index)
  local grown = false
  for name in pairs(bucket.r) do
    if index[name] == nil then
      names[#names + 1] = name
      index[name] = #names - 1
      grown = true
    end
  end
  return grown
end

-- Regions as a chunk's first line holds them: names, and name -> number.
local function rollupNames(line)
  local names, index = {}, {}
  for name in string.gmatch(line, '[^,]+') do
    names[#names + 1] = name
    index[name] = #names - 1
  end
  return names, index
end

-- A chunk's text (nil: a new one) with a line for bucket at offset appended.
local function rollupAppendRecord(text, bucket, offset)
  local newline = text and string.find(text, '\\n', 1, true)
  local names, index = rollupNames(newline and string.sub(text, 1, newline - 1) or '')
  local grown = rollupIndex(bucket, names, index)
  local record = rollupRecord(bucket, index, offset)
  if newline and not grown then return text .. '\\n' .. record end
  local lines = newline and (string.sub(text, newline + 1) .. '\\n') or ''
  return table.concat(names, ',') .. '\\n' .. lines .. record
end

-- The sum of a chunk's lines (newline-separated), its regions numbered by names.
local function rollupSumLines(lines, names)
  local sum = { t = {}, r = {} }
  for line in string.gmatch(lines, '[^\\n]+') do
    local space = string.find(line, ' ', 1, true)
    rollupAdd(sum, rollupParseRecord(string.sub(line, space + 1), names))
  end
  return sum
end

local function rollupWriteChunk(key, text, expireAt)
  redis.call('SET', key, text, 'PXAT', rollupFormat(expireAt))
end

-- Adds a closed bucket (its start, the bucket) as a line of the open bucket of tiers[i + 1]:
-- field "<start ms>\\n<regions>" of the open hash, its lines in <prefix><field>log, their running
-- sum in field <field>s (msgpack, Lua's alone). When the closed bucket is in a later one, that one
-- is closed first: its lines become its chunk, its sum a line of the tier above (of the last
-- tier's chunk at the top). New field values go to writes.
local function rollupCloseInto(openKey, prefix, tiers, i, closedStart, closed, expireAt, writes)
  local tier, up = tiers[i], tiers[i + 1]
  if up == nil then
    local chunk = math.floor(closedStart / tier.chunkMs)
    local key = prefix .. tier.field .. ':' .. rollupFormat(chunk)
    rollupWriteChunk(key, rollupAppendRecord(redis.call('GET', key) or nil, closed, (closedStart - chunk * tier.chunkMs) / tier.bucketMs), (chunk + 1) * tier.chunkMs + tier.retentionMs)
    return
  end
  local upStart = math.floor(closedStart / up.bucketMs) * up.bucketMs
  local logKey = prefix .. up.field .. 'log'
  local sumField = up.field .. 's'
  local open = redis.call('HMGET', openKey, up.field, sumField)
  local openStart, names, index, sum = nil, {}, {}, nil
  if open[1] then
    local newline = string.find(open[1], '\\n', 1, true)
    openStart = tonumber(string.sub(open[1], 1, newline - 1))
    names, index = rollupNames(string.sub(open[1], newline + 1))
  end
  if openStart and openStart < upStart then
    local lines = redis.call('GET', logKey)
    if lines then
      -- Its lines are a chunk of tiers[i] (a tier's chunk is the next one's bucket).
      rollupWriteChunk(prefix .. tier.field .. ':' .. rollupFormat(openStart / tier.chunkMs), table.concat(names, ',') .. '\\n' .. lines, openStart + tier.chunkMs + tier.retentionMs)
      local total = open[2] and cmsgpack.unpack(open[2]) or rollupSumLines(lines, names)
      rollupCloseInto(openKey, prefix, tiers, i + 1, openStart, total, expireAt, writes)
    end
    openStart = nil
  elseif openStart and open[2] then
    sum = cmsgpack.unpack(open[2])
  end
  local fresh = openStart == nil
  if fresh then
    openStart, names, index = upStart, {}, {}
  end
  local grown = rollupIndex(closed, names, index)
  local line = rollupRecord(closed, index, (closedStart - openStart) / tier.bucketMs)
  if fresh then
    redis.call('SET', logKey, line, 'PXAT', expireAt)
  else
    redis.call('APPEND', logKey, '\\n' .. line)
  end
  -- The line is written: closed's tables may go into the sum.
  if sum then rollupAdd(sum, closed) else sum = closed end
  writes[#writes + 1] = sumField
  writes[#writes + 1] = cmsgpack.pack(sum)
  if fresh or grown then
    writes[#writes + 1] = up.field
    writes[#writes + 1] = rollupFormat(openStart) .. '\\n' .. table.concat(names, ',')
  end
end

local function rollupRound(openKey, prefix, at, delta, tiers)
  local minute, last = tiers[1], tiers[#tiers]
  local start = math.floor(at / minute.bucketMs) * minute.bucketMs
  local logKey = prefix .. minute.field .. 'log'
  local mStart = tonumber(redis.call('HGET', openKey, minute.field) or '')
  if mStart == start then
    redis.call('APPEND', logKey, ';' .. delta)
    return
  end
  -- A round before the open minute: ordered commits never apply one.
  if mStart and mStart > start then return end
  local expireAt = rollupFormat(start + last.bucketMs + last.retentionMs)
  local writes = {}
  local log = mStart and redis.call('GET', logKey)
  if log then
    local bucket = nil
    for json in string.gmatch(log, '[^;]+') do
      local d = cjson.decode(json)
      if bucket then rollupAdd(bucket, d) else bucket = d end
    end
    if bucket then rollupCloseInto(openKey, prefix, tiers, 1, mStart, bucket, expireAt, writes) end
  end
  redis.call('SET', logKey, delta, 'PXAT', expireAt)
  writes[#writes + 1] = minute.field
  writes[#writes + 1] = rollupFormat(start)
  redis.call('HSET', openKey, unpack(writes))
  redis.call('PEXPIREAT', openKey, expireAt)
end
`;

/** ARGV values {@link rollupTiersLua} reads: four per tier. */
export const ROLLUP_TIER_ARGS = TIER_ORDER.length * 4;

/** Lua: `rollupTiers(first)`, the tiers from ARGV[first] on, as {@link rollupTierArgs} wrote them. */
export const rollupTiersLua = `
local function rollupTiers(first)
  local tiers = {}
  for i = first, first + ${ROLLUP_TIER_ARGS - 1}, 4 do
    tiers[#tiers + 1] = { field = ARGV[i], bucketMs = tonumber(ARGV[i + 1]), chunkMs = tonumber(ARGV[i + 2]), retentionMs = tonumber(ARGV[i + 3]) }
  end
  return tiers
end`;

/** The tiers as ARGV values: field, bucket ms, chunk ms, retention ms, per tier, finest first. */
export function rollupTierArgs(settings: RollupSettings): (string | number)[] {
  return TIER_ORDER.flatMap((tier) => [tier.field, tier.bucketMs, tier.chunkMs, retentionOf(tier, settings)]);
}

/** A round's delta as the commit script takes it: its JSON, or `''` when rollups are off. */
export function rollupDeltaArg(delta: RollupBucket, settings: RollupSettings): string {
  return settings.enabled ? encodeDelta(delta) : '';
}
