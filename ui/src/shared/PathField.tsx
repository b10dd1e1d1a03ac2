/** A file path typed or chosen with the native dialog (Browse…), as the import and report
 * dialogs ask for one. */
export function PathField({
  label,
  value,
  placeholder,
  disabled,
  onChange,
  onBrowse,
}: {
  label: string;
  value: string;
  placeholder?: string;
  disabled: boolean;
  onChange: (path: string) => void;
  onBrowse: () => Promise<string | null>;
}) {
  return (
    <div className="add-form">
      <input
        aria-label={label}
        value={value}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        disabled={disabled}
      />
      <button
        onClick={() =>
          void onBrowse().then((chosen) => {
            if (chosen) onChange(chosen);
          })
        }
        disabled={disabled}
      >
        Browse…
      </button>
    </div>
  );
}
