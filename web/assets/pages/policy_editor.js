// The policy editor of an application: an ordered list of policies, each with a
// decision and include (any of), require (all of) and exclude (none of) rules.
// Service-token rules pick a token by name; "any valid service token" needs no value.
import { field, h, select, uid } from '../dom.js';

export const DECISIONS = [
  ['non_identity', 'Service Auth'],
  ['allow', 'Allow'],
  ['deny', 'Block'],
  ['bypass', 'Bypass'],
];

const RULE_TYPES = [
  // [type, label, key of the value in the rule object, placeholder]
  ['service_token', 'Service token', 'token_id', ''],
  ['any_valid_service_token', 'Any valid service token', null, ''],
  ['everyone', 'Everyone', null, ''],
  ['ip', 'IP range', 'ip', '192.0.2.0/24 or 2001:db8::/32'],
  ['email', 'Email', 'email', 'someone@example.com'],
  ['email_domain', 'Email domain', 'domain', 'example.com'],
  ['common_name', 'Common name (mTLS)', 'common_name', 'client.example.com'],
];

const GROUPS = [
  ['include', 'Include', 'A request matches when it meets any of these rules. At least one is required.'],
  ['require', 'Require', 'And it must meet all of these.'],
  ['exclude', 'Exclude', 'And none of these.'],
];

export function decisionLabel(d) {
  return DECISIONS.find(([v]) => v === d)?.[1] ?? d;
}

function ruleFromJson(json) {
  const type = Object.keys(json ?? {})[0] ?? 'everyone';
  const spec = RULE_TYPES.find(([t]) => t === type);
  const valueKey = spec?.[2];
  return { type, value: valueKey ? (json[type]?.[valueKey] ?? '') : '' };
}

function ruleToJson(r) {
  const valueKey = RULE_TYPES.find(([t]) => t === r.type)?.[2];
  return { [r.type]: valueKey ? { [valueKey]: r.value.trim() } : {} };
}

export function policyFromJson(p) {
  return {
    id: p.id ?? null,
    reusable: !!p.reusable,
    name: p.name ?? '',
    decision: p.decision ?? 'non_identity',
    session_duration: p.session_duration ?? '',
    include: (p.include ?? []).map(ruleFromJson),
    require: (p.require ?? []).map(ruleFromJson),
    exclude: (p.exclude ?? []).map(ruleFromJson),
  };
}

// The body of a policy for the API (app-scoped or inline).
export function policyToJson(p) {
  return {
    name: p.name.trim(),
    decision: p.decision,
    include: p.include.map(ruleToJson),
    require: p.require.map(ruleToJson),
    exclude: p.exclude.map(ruleToJson),
    session_duration: p.session_duration.trim() || null,
  };
}

export function newPolicy() {
  return policyFromJson({ name: '', decision: 'non_identity', include: [{ service_token: { token_id: '' } }] });
}

// `policies`: editor models (policyFromJson); `tokens`: service tokens for the picker.
export function policyEditor({ policies, tokens }) {
  const model = policies.map((p) => ({ ...p, key: uid('p') }));
  const root = h('div', { class: 'policy-editor' });

  function rerender(focusSelector) {
    root.replaceChildren(...model.map(card), addPolicyButton());
    if (focusSelector) root.querySelector(focusSelector)?.focus();
  }

  function addPolicyButton() {
    return h(
      'button',
      {
        type: 'button',
        class: 'button',
        'data-role': 'add-policy',
        onclick: () => {
          const p = { ...newPolicy(), key: uid('p') };
          model.push(p);
          rerender(`[data-key="${p.key}"] input[data-role="policy-name"]`);
        },
      },
      'Add a policy',
    );
  }

  function tokenPicker(rule, path) {
    const options = [['', 'Choose a service token…'], ...tokens.map((t) => [t.id, `${t.name} (${t.client_id.slice(0, 8)}…)`])];
    if (rule.value && !tokens.some((t) => t.id === rule.value)) options.push([rule.value, `Unknown or deleted token ${rule.value}`]);
    const s = select(options, rule.value, { 'data-field': path, 'aria-label': 'Service token' });
    s.addEventListener('change', () => {
      rule.value = s.value;
    });
    return s;
  }

  function ruleRow(p, group, rule, j, i) {
    const path = `policies[${i}].${group}[${j}]`;
    const type = select(
      RULE_TYPES.map(([t, label]) => [t, label]),
      rule.type,
      { 'aria-label': `${group} rule ${j + 1} type`, 'data-role': 'rule-type' },
    );
    const spec = RULE_TYPES.find(([t]) => t === rule.type);
    let valueEl = null;
    if (rule.type === 'service_token') {
      valueEl = tokenPicker(rule, path);
    } else if (spec?.[2]) {
      valueEl = h('input', { type: 'text', value: rule.value, placeholder: spec[3], 'data-field': path, 'aria-label': spec[1] });
      valueEl.addEventListener('input', () => {
        rule.value = valueEl.value;
      });
    } else {
      type.dataset.field = path;
    }
    type.addEventListener('change', () => {
      rule.type = type.value;
      rule.value = '';
      rerender(`[data-key="${p.key}"] [data-rule="${group}-${j}"] select[data-role="rule-type"]`);
    });
    return h(
      'div',
      { class: 'rule', 'data-rule': `${group}-${j}` },
      type,
      valueEl ? h('div', { class: 'rule-value' }, valueEl) : null,
      h(
        'button',
        {
          type: 'button',
          class: 'button small',
          'aria-label': `Remove ${group} rule ${j + 1}`,
          onclick: () => {
            p[group].splice(j, 1);
            rerender(`[data-key="${p.key}"] [data-add="${group}"]`);
          },
        },
        'Remove',
      ),
    );
  }

  function card(p, i) {
    const headingId = uid('ph');
    const move = (delta) => {
      const k = i + delta;
      if (k < 0 || k >= model.length) return;
      [model[i], model[k]] = [model[k], model[i]];
      rerender(`[data-key="${p.key}"] [data-move="${delta < 0 ? 'up' : 'down'}"]`);
    };
    const tools = h(
      'div',
      { class: 'inline' },
      h('button', { type: 'button', class: 'button small', 'data-move': 'up', disabled: i === 0, 'aria-label': `Move policy ${i + 1} up`, onclick: () => move(-1) }, 'Move up'),
      h('button', { type: 'button', class: 'button small', 'data-move': 'down', disabled: i === model.length - 1, 'aria-label': `Move policy ${i + 1} down`, onclick: () => move(1) }, 'Move down'),
      h(
        'button',
        {
          type: 'button',
          class: 'button small danger-text',
          'aria-label': `Remove policy ${i + 1}`,
          onclick: () => {
            model.splice(i, 1);
            rerender('[data-role="add-policy"]');
          },
        },
        'Remove',
      ),
    );
    const title = `Policy ${i + 1}${p.name ? `: ${p.name}` : ''}`;
    if (p.reusable) {
      return h(
        'section',
        { class: 'policy', 'data-key': p.key, 'aria-labelledby': headingId },
        h('div', { class: 'policy-head' }, h('h3', { id: headingId }, title), tools),
        h('p', { class: 'hint' }, `A reusable policy (${decisionLabel(p.decision)}), shared with other applications; change it through the API or CLI. Here you can reorder or detach it.`),
      );
    }
    const name = h('input', { type: 'text', value: p.name, 'data-field': `policies[${i}].name`, 'data-role': 'policy-name' });
    name.addEventListener('input', () => {
      p.name = name.value;
    });
    const decision = select(DECISIONS, p.decision, { 'data-field': `policies[${i}].decision` });
    decision.addEventListener('change', () => {
      p.decision = decision.value;
    });
    const session = h('input', { type: 'text', value: p.session_duration, placeholder: 'the application’s', 'data-field': `policies[${i}].session_duration` });
    session.addEventListener('input', () => {
      p.session_duration = session.value;
    });
    const groups = GROUPS.map(([group, label, hint]) =>
      h(
        'div',
        { class: 'rules', role: 'group', 'aria-label': `${label} rules of policy ${i + 1}` },
        h('h4', {}, label),
        h('p', { class: 'hint' }, hint),
        p[group].map((r, j) => ruleRow(p, group, r, j, i)),
        h(
          'button',
          {
            type: 'button',
            class: 'button small',
            'data-add': group,
            'data-field': group === 'include' ? `policies[${i}].include` : null,
            onclick: () => {
              const rule = { type: p.decision === 'non_identity' ? 'service_token' : 'everyone', value: '' };
              p[group].push(rule);
              rerender(`[data-key="${p.key}"] [data-rule="${group}-${p[group].length - 1}"] select[data-role="rule-type"]`);
            },
          },
          `Add ${label.toLowerCase()} rule`,
        ),
      ),
    );
    return h(
      'section',
      { class: 'policy', 'data-key': p.key, 'aria-labelledby': headingId },
      h('div', { class: 'policy-head' }, h('h3', { id: headingId }, title), tools),
      h(
        'div',
        { class: 'policy-grid' },
        field({ label: 'Policy name', input: name }),
        field({ label: 'Action', input: decision, hint: 'Service Auth admits service tokens without a login.' }),
        field({ label: 'Session duration (optional)', input: session, hint: 'Go syntax, e.g. 30m or 24h.' }),
      ),
      groups,
    );
  }

  rerender();
  return {
    el: root,
    value: () => model,
  };
}
