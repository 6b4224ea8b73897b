import sharp from 'sharp';
const [file, h] = process.argv.slice(2);
const meta = await sharp(file!).metadata();
const step = Number(h ?? 1600);
for (let top = 0, i = 0; top < meta.height!; top += step, i++) {
  await sharp(file!).extract({ left: 0, top, width: meta.width!, height: Math.min(step, meta.height! - top) }).toFile(file!.replace('.png', `-${i}.png`));
}
